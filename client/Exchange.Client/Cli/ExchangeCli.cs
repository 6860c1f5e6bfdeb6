using System.CommandLine;
using Exchange.Client.Api;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>The <c>exchange</c> command line: market data, trading and operator commands over the HTTP API.</summary>
public static class ExchangeCli
{
    public static RootCommand Build(IAnsiConsole console, Func<Uri, string?, ExchangeApiClient>? connect = null)
    {
        var retry = new TransientRetry(console);
        var cli = new CliContext(console, connect ?? ((url, key) => ExchangeApiClient.Create(url, key, retry)));
        var root = new RootCommand("exchange: trade seconds of celebrities' time") { cli.Url, cli.Key };
        foreach (var command in MarketCommands.Create(cli).Concat(TradingCommands.Create(cli)).Concat(CashCommands.ForFans(cli)).Concat(RedemptionCommands.Create(cli)))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(AdminCommands.Create(cli));
        root.Subcommands.Add(PaymentCommands.DevPayment(cli));
        root.Subcommands.Add(SimulationCommands.Create(cli));
        root.Subcommands.Add(LoadCommand.Create(cli));
        return root;
    }
}
