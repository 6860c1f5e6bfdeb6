using Exchange.Abstractions.Grains;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exchange.Grains.Hosting;

/// <summary>
/// Each silo, as it starts, hands the configured audit interval to the scheduled-audit grain: the cluster keeps one
/// schedule whichever silos come and go, and a changed interval takes effect with the first silo that carries it.
/// </summary>
internal sealed class AuditScheduling(IGrainFactory grains, IOptions<ExchangeOptions> options, ILogger<AuditScheduling> logger) : IStartupTask
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    public Task Execute(CancellationToken cancellationToken)
    {
        // In the background: the grain's storage and the reminder table may still be waking up as a silo starts.
        _ = Task.Run(async () =>
        {
            foreach (var pause in Retries.Prepend(TimeSpan.Zero))
            {
                await Task.Delay(pause, CancellationToken.None);
                try
                {
                    await grains.ByKey<IScheduledAuditGrain>(IScheduledAuditGrain.Key).Schedule(options.Value.AuditInterval);
                    return;
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "Could not schedule the exchange's audit yet (Exchange:AuditInterval {Interval})", options.Value.AuditInterval);
                }
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
