using System.CommandLine;
using Exchange.Abstractions.Grains;
using Exchange.Client.Api;
using Exchange.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// <c>exchange load</c>: a load generator. Over HTTP (one or more silos, an operator key) or straight through the
/// Orleans client to a silo's gateway (<c>--gateway-port</c>). Prints orders/s, trades/s and latency percentiles,
/// then the audit; exits non-zero if the audit fails.
/// </summary>
public static class LoadCommand
{
    public static Command Create(CliContext cli)
    {
        var fans = new Option<int>("--fans") { DefaultValueFactory = _ => 100, Description = "Fans placing orders" };
        var books = new Option<int>("--books") { DefaultValueFactory = _ => 5, Description = "Celebrities traded (created as <prefix>-star-N)" };
        var operations = new Option<int>("--operations") { DefaultValueFactory = _ => 10_000, Description = "Orders and cancels to send" };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 600, Description = "Stop after this long even if operations remain" };
        var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 64, Description = "Requests in flight" };
        var prefix = new Option<string>("--prefix") { DefaultValueFactory = _ => "load", Description = "Account and celebrity prefix" };
        var targets = new Option<string[]>("--targets") { Description = "Several silo URLs to spread fans over (default: --url)", AllowMultipleArgumentsPerToken = true };
        var gateway = new Option<int?>("--gateway-port") { Description = "Go through the Orleans client to this local gateway instead of HTTP" };
        var command = new Command("load", "Generate load and measure orders/s, trades/s and latency") { fans, books, operations, seconds, concurrency, prefix, targets, gateway };
        command.SetAction(cli.Run(async (api, p, ct) =>
        {
            var options = new LoadOptions
            {
                Fans = p.GetValue(fans), Celebrities = p.GetValue(books), Operations = p.GetValue(operations),
                Duration = TimeSpan.FromSeconds(p.GetValue(seconds)), Concurrency = p.GetValue(concurrency), Prefix = p.GetValue(prefix)!,
            };

            IHost? orleansClient = null;
            IMarketPort port;
            if (p.GetValue(gateway) is { } gatewayPort)
            {
                orleansClient = Host.CreateDefaultBuilder()
                    .UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId: "exchange", clusterId: "exchange"))
                    .ConfigureLogging(logging => logging.ClearProviders())
                    .Build();
                await orleansClient.StartAsync(ct);
                var grains = orleansClient.Services.GetRequiredService<IClusterClient>();
                port = new GrainMarketPort(grains, _ => grains.ByKey<IOperatorGrain>("load").ListCelebrities());
            }
            else
            {
                var urls = (p.GetValue(targets) is { Length: > 0 } list ? list : [p.GetValue(cli.Url)!]).Select(u => new Uri(u)).ToList();
                port = new HttpMarketPort(urls, api);
            }

            try
            {
                var generator = new LoadGenerator(port, options);
                LoadReport report = null!;
                await cli.Console.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask("load", maxValue: options.Operations);
                    var run = generator.RunAsync(ct);
                    while (!run.IsCompleted)
                    {
                        task.Value = generator.Completed;
                        await Task.WhenAny(run, Task.Delay(250, ct));
                    }

                    task.Value = options.Operations;
                    report = await run;
                });
                cli.Console.MarkupLineInterpolated($"{report}");
                if (!report.AuditPassed)
                {
                    throw new ExchangeApiException(System.Net.HttpStatusCode.OK, "audit_failed", string.Join("; ", report.AuditViolations));
                }
            }
            finally
            {
                if (orleansClient is not null)
                {
                    await orleansClient.StopAsync(CancellationToken.None);
                    orleansClient.Dispose();
                }
            }
        }));
        return command;
    }
}
