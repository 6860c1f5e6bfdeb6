using System.CommandLine;
using System.Globalization;
using Exchange.Abstractions.Http;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>Operator commands for the cluster: which silos run and what they hold, and a rebalance after one joins.</summary>
public static class ClusterCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        var silos = new Command("silos", "Silos in the cluster, their status and the activations each holds");
        silos.SetAction(cli.Run(async (api, _, ct) =>
        {
            var activations = await api.GetActivationsAsync(ct);
            var table = new Table().AddColumns("silo", "name", "status", "build", "started (UTC)", "activations", "by grain type");
            foreach (var silo in await api.GetSilosAsync(ct))
            {
                var held = activations.Where(a => a.Silo == silo.Address).ToList();
                table.AddRow(Markup.Escape(silo.Address), Markup.Escape(silo.Name), silo.Status, BuildOf(silo), silo.StartTime.UtcDateTime.ToString("u", CultureInfo.InvariantCulture),
                    held.Sum(a => a.Activations).ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", held.OrderByDescending(a => a.Activations).Select(a => $"{a.GrainType} {a.Activations}"))));
            }

            cli.Console.Write(table);
        }));
        yield return silos;

        var rebalance = new Command("rebalance", "Move wallets, books and celebrities (with their state) from crowded silos to emptier ones");
        rebalance.SetAction(cli.Run(async (api, _, ct) =>
        {
            var result = await api.RebalanceAsync(ct);
            cli.Console.MarkupLineInterpolated($"asked {result.Moved} activations to move");
            foreach (var (silo, planned) in result.PlannedPerSilo.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                cli.Console.MarkupLineInterpolated($"  {silo}: {planned} movable activations after the moves");
            }
        }));
        yield return rebalance;
    }

    /// <summary>During a rolling upgrade, which silos already run the newest build (only they take new activations).</summary>
    private static string BuildOf(SiloInfo silo) =>
        silo.Build is not { } build ? "-"
        : silo.NewestBuild ? $"{build.ToString(CultureInfo.InvariantCulture)} (newest)"
        : $"{build.ToString(CultureInfo.InvariantCulture)} (older)";
}
