using System.CommandLine;
using Exchange.Client.Api;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>What every command needs: where the exchange is, the caller's key, and where to print.</summary>
public sealed class CliContext(IAnsiConsole console, Func<Uri, string?, ExchangeApiClient> connect)
{
    public Option<string> Url { get; } = new("--url")
    {
        Description = "Exchange address (default: $EXCHANGE_URL or http://127.0.0.1:5080)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGE_URL") ?? "http://127.0.0.1:5080",
    };

    // No default value factory: help prints defaults, and this one is a secret.
    public Option<string?> Key { get; } = new("--key")
    {
        Description = "API key (default: $EXCHANGE_KEY)",
        Recursive = true,
    };

    public IAnsiConsole Console { get; } = console;

    /// <summary>Wraps a command body: connects, and turns refusals into a red line and a non-zero exit code.</summary>
    public Func<ParseResult, CancellationToken, Task<int>> Run(Func<ExchangeApiClient, ParseResult, CancellationToken, Task> body) =>
        async (parseResult, cancellationToken) =>
        {
            if (!Uri.TryCreate(parseResult.GetValue(Url), UriKind.Absolute, out var url))
            {
                Console.MarkupLine("[red]--url must be an absolute http(s) address.[/]");
                return 2;
            }

            try
            {
                var key = parseResult.GetValue(Key) ?? Environment.GetEnvironmentVariable("EXCHANGE_KEY");
                await body(connect(url, key), parseResult, cancellationToken);
                return 0;
            }
            catch (ExchangeApiException refused)
            {
                Console.MarkupLineInterpolated($"[red]{refused.Code}[/]: {refused.Detail}");
                return 1;
            }
            catch (HttpRequestException unreachable)
            {
                Console.MarkupLineInterpolated($"[red]Cannot reach the exchange at {url}[/]: {unreachable.Message}");
                return 3;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        };
}
