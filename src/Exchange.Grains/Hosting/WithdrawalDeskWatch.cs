using Exchange.Abstractions.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exchange.Grains.Hosting;

/// <summary>
/// Reads the withdrawal desk every <see cref="ExchangeOptions.WithdrawalDeskWatchInterval"/> into
/// <see cref="WithdrawalsWaiting"/>, whose gauges each silo exports: a metric callback cannot call a grain.
/// </summary>
internal sealed class WithdrawalDeskWatch(IGrainFactory grains, WithdrawalsWaiting waiting, IOptions<ExchangeOptions> options,
    ILogger<WithdrawalDeskWatch> logger) : BackgroundService
{
    /// <summary>How soon a starting silo tries again for its first reading.</summary>
    private static readonly TimeSpan FirstReadingRetry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first reading as soon as the desk answers, not one interval after start: a new silo's gauges reading 0
        // for that long would restart the alert's wait across a rolling upgrade.
        while (!await TryReadAsync(stoppingToken))
        {
            await Task.Delay(FirstReadingRetry < options.Value.WithdrawalDeskWatchInterval ? FirstReadingRetry : options.Value.WithdrawalDeskWatchInterval, stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Value.WithdrawalDeskWatchInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TryReadAsync(stoppingToken);
        }
    }

    private async Task<bool> TryReadAsync(CancellationToken stoppingToken)
    {
        try
        {
            waiting.Observe(await grains.ByKey<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key).GetPending());
            return true;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The silo still starting, or the desk's silo leaving: the gauges keep the last reading until the next.
            logger.LogDebug(exception, "Could not read the withdrawal desk");
            return false;
        }
    }
}
