using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Listing;
using Exchange.Domain.Redemption;
using Exchange.Grains.Hosting;
using Exchange.Grains.Storage;
using Exchange.Simulation;

namespace Exchange.Silo.Hosting;

/// <summary>
/// The embedded default's living market: loads the seed catalog (idempotently, so restarts add nothing), publishes
/// a few slots, then runs the market simulator until the silo stops. Exchange:Seed:Catalog and
/// Exchange:Simulator:Enabled turn either part off; both default to on only for the embedded single silo.
/// </summary>
public sealed class LivingMarket(
    CatalogLoader catalog,
    IGrainFactory grains,
    IExchangeDirectory directory,
    IConfiguration configuration,
    ExchangeStorage storage,
    ILogger<LivingMarket> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var embedded = storage.Kind != StorageKind.PostgreSql;
        var seed = configuration.GetValue("Exchange:Seed:Catalog", embedded);
        var simulate = configuration.GetValue("Exchange:Simulator:Enabled", embedded);
        if (!seed && !simulate)
        {
            return;
        }

        try
        {
            if (seed)
            {
                var result = await catalog.LoadAsync(SeedCatalog.Entries, stoppingToken);
                logger.LogInformation("Seed catalog loaded: {Listed} new, {Existing} already listed, {Refused} refused by the listing rules", result.Listed, result.AlreadyListed, result.Refused);
                await PublishSeedSlotsAsync();
            }

            if (simulate)
            {
                var port = new GrainMarketPort(grains, ct => directory.ListCelebritiesAsync(ct));
                var simulator = new MarketSimulator(port, new SimulationOptions { Pause = TimeSpan.FromMilliseconds(configuration.GetValue("Exchange:Simulator:PauseMs", 500)) });
                logger.LogInformation("Market simulator running (Exchange:Simulator:Enabled=false turns it off)");
                await simulator.RunAsync(int.MaxValue, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The living market stopped");
        }
    }

    private async Task PublishSeedSlotsAsync()
    {
        var day = DateTimeOffset.UtcNow.Date.AddDays(3);
        foreach (var entry in SeedCatalog.Entries.Where(e => ListingRules.Default.Refusal(e.Audience) is null).Take(20))
        {
            var scheduler = grains.ByKey<ISchedulerGrain>(entry.CelebrityId);
            await scheduler.Publish(new SlotRequest($"video-{day:yyyyMMdd}", new DateTimeOffset(day.AddHours(12), TimeSpan.Zero), TimeSpan.FromMinutes(20), SlotKind.VideoCall, null, 0,
                $"https://meet.example/{entry.CelebrityId}/video-{day:yyyyMMdd}"));
            await scheduler.Publish(new SlotRequest($"meetup-{day:yyyyMMdd}", new DateTimeOffset(day.AddHours(18), TimeSpan.Zero), TimeSpan.FromHours(1), SlotKind.MeetUp, "Shanghai, West Bund", 0,
                "West Bund Art Museum, north entrance; ask for the exchange's host"));
        }
    }
}
