using Exchange.Abstractions.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exchange.Grains.Hosting;

/// <summary>
/// Reads the withdrawal desk every <see cref="ExchangeOptions.WithdrawalDeskWatchInterval"/> into
/// <see cref="WithdrawalsWaiting"/>, whose gauges each silo exports: a metric callback cannot call a grain. Taking the
/// metrics themselves makes them exist from the silo's start: otherwise the first grain that counts something creates
/// them, and a silo that has not yet settled a trade exported no gauge at all.
/// </summary>
internal sealed class WithdrawalDeskWatch(IGrainFactory grains, ExchangeMetrics metrics, IOptions<ExchangeOptions> options,
    IHostApplicationLifetime lifetime, ILogger<WithdrawalDeskWatch> logger) : BackgroundService
{
    /// <summary>How soon a starting silo tries again for its first reading.</summary>
    private static readonly TimeSpan FirstReadingRetry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first reading as soon as the desk answers, not one interval after start: a new silo's gauges reading 0
        // for that long would restart the alert's wait across a rolling upgrade. Not before the silo has started,
        // though: a grain call made while it starts waits out the whole response timeout.
        await StartedAsync(stoppingToken);
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

    private async Task StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var whenStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var whenStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    private async Task<bool> TryReadAsync(CancellationToken stoppingToken)
    {
        try
        {
            metrics.Withdrawals.Observe(await grains.ByKey<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key).GetPending());
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
