using Exchange.Abstractions.Grains;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Exchange.Grains.Hosting;

/// <summary>
/// After a restart, books with unsettled events and celebrities with unfinished issuances sit in storage until
/// something activates them. This wakes each one once, in the background, so settlement resumes by itself.
/// </summary>
internal sealed class PendingWorkRecovery(IGrainFactory grains, IExchangeDirectory directory, ILogger<PendingWorkRecovery> logger) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var celebrityId in await directory.ListCelebritiesAsync(cancellationToken))
                {
                    await grains.ByKey<ICelebrityGrain>(celebrityId).CompletePendingIssuances();
                    await grains.ByKey<ISchedulerGrain>(celebrityId).CompletePending();
                    _ = await grains.ByKey<IOrderBookGrain>(celebrityId).FlushSettlements();
                }
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Recovery of pending settlements did not finish; books settle when next used");
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
