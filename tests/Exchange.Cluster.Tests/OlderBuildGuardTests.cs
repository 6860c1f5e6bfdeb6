using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;

namespace Exchange.Cluster.Tests;

/// <summary>A rollback, or an old image started after an upgrade: a silo of an older build meets state a newer one wrote.</summary>
public class OlderBuildGuardTests
{
    [Fact]
    public async Task A_silo_of_an_older_build_refuses_to_start_once_a_newer_one_has_run_unless_an_operator_rolls_back()
    {
        var connectionString = await SharedPostgres.NewDatabaseAsync();
        string serviceId;
        await using (var newer = await ExchangeCluster.StartAsync(connectionString: connectionString))
        {
            serviceId = newer.ServiceId;
            await newer.FundAsync("guard-fan", 4_321);
        }

        var previousBuild = new Dictionary<string, string> { [PreviousBuildInterfaces.SilosSetting] = "Primary" };
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ExchangeCluster.StartAsync(connectionString: connectionString, serviceId: serviceId,
            settings: previousBuild));
        Assert.Contains("A newer build", Messages(refused));

        await using var rolledBack = await ExchangeCluster.StartAsync(connectionString: connectionString, serviceId: serviceId,
            settings: new Dictionary<string, string>(previousBuild) { ["Exchange:AllowOlderBuild"] = "true" });
        var wallet = ExchangeCluster.GrainsOf(rolledBack.Cluster.Primary!).GetGrain<IWalletGrain>("guard-fan");
        Assert.Equal(4_321, (await wallet.GetSnapshot()).CashAvailableFen);
    }

    private static string Messages(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join("\n", aggregate.Flatten().InnerExceptions.Select(Messages))
            : exception.Message + (exception.InnerException is { } inner ? "\n" + Messages(inner) : "");
}
