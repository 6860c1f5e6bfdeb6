using System.CommandLine;
using Exchange.Client.Api;
using Exchange.Simulation;
using Spectre.Console;

namespace Exchange.Client.Cli;

public static class SimulationCommands
{
    /// <summary><c>exchange simulate</c>: simulated fans trading through the HTTP API (needs an operator key to make them).</summary>
    public static Command Create(CliContext cli)
    {
        var rounds = new Option<int>("--rounds") { Description = "Rounds to run (every simulated fan acts once per round)", DefaultValueFactory = _ => 50 };
        var fans = new Option<int>("--fans") { Description = "Simulated fans (a quarter market makers, a quarter momentum, half noise)", DefaultValueFactory = _ => 24 };
        var books = new Option<int>("--books") { Description = "Celebrities to trade", DefaultValueFactory = _ => 20 };
        var pause = new Option<int>("--pause-ms") { Description = "Pause between rounds", DefaultValueFactory = _ => 100 };
        var prefix = new Option<string>("--prefix") { Description = "Account prefix of the simulated fans", DefaultValueFactory = _ => "cli-sim" };
        var issueTime = new Option<bool>("--issue-time")
        {
            Description = "Let the platform issue more time on a book the simulation bought out, as the embedded exchange's simulator does " +
                "(the treasury buys it and pays the celebrity's agent: for a demonstration exchange only)",
        };
        var command = new Command("simulate", "Run a market simulation through the API") { rounds, fans, books, pause, prefix, issueTime };
        command.SetAction(cli.Run(async (api, p, ct) =>
        {
            var count = Math.Max(4, p.GetValue(fans));
            var options = new SimulationOptions
            {
                MarketMakers = count / 4,
                MomentumTraders = count / 4,
                NoiseTraders = count - 2 * (count / 4),
                ActiveCelebrities = p.GetValue(books),
                Pause = TimeSpan.FromMilliseconds(p.GetValue(pause)),
                FanPrefix = p.GetValue(prefix)!,
                IssueAfterSightingsWithoutOffer = p.GetValue(issueTime) ? new SimulationOptions().IssueAfterSightingsWithoutOffer : 0,
            };
            var simulator = new MarketSimulator(new HttpMarketPort(new Uri(p.GetValue(cli.Url)!), api), options);
            await simulator.PrepareAsync(ct);
            var total = p.GetValue(rounds);
            await cli.Console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("simulating", maxValue: total);
                for (var round = 0; round < total && !ct.IsCancellationRequested; round++)
                {
                    await simulator.RunAsync(1, ct);
                    task.Increment(1);
                    task.Description = $"{simulator.Stats.Orders} orders, {simulator.Stats.Fills} fills";
                }
            });
            cli.Console.MarkupLineInterpolated($"simulation done: {simulator.Stats}");
        }));
        return command;
    }
}
