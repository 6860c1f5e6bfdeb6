using System.CommandLine;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>Operator commands for a halt of the whole exchange (a circuit breaker), apart from each celebrity's own.</summary>
public static class MarketHaltCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        var marketReason = new Option<string?>("--reason");
        var haltMarket = new Command("halt-market", "Halt trading on the whole exchange (each celebrity's own halts are kept apart)") { marketReason };
        haltMarket.SetAction(cli.Run(async (api, p, ct) =>
        {
            var result = await api.HaltMarketAsync(p.GetValue(marketReason), ct);
            cli.Console.MarkupLineInterpolated($"[red]halted the whole exchange[/] ({result.Books} books)");
        }));
        yield return haltMarket;

        var resumeMarket = new Command("resume-market", "Lift a halt of the whole exchange");
        resumeMarket.SetAction(cli.Run(async (api, _, ct) =>
        {
            var result = await api.ResumeMarketAsync(ct);
            cli.Console.MarkupLineInterpolated($"[green]resumed the whole exchange[/] ({result.Books} books)");
        }));
        yield return resumeMarket;

        var marketStatus = new Command("market", "Whether the whole exchange is halted, and why");
        marketStatus.SetAction(cli.Run(async (api, _, ct) =>
        {
            var status = await api.GetMarketStatusAsync(ct);
            cli.Console.MarkupLineInterpolated($"{(status.HaltReason is { } reason ? $"the whole exchange is halted: {reason}" : "no whole-exchange halt")}");
        }));
        yield return marketStatus;
    }
}
