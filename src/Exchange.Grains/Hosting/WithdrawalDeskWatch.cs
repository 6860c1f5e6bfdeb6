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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WithdrawalDeskWatchInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                waiting.Observe(await grains.ByKey<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key).GetPending());
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo still starting, or the desk's silo leaving: the gauges keep the last reading until the next.
                logger.LogDebug(exception, "Could not read the withdrawal desk");
            }
        }
    }
}
