namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Releases the live feeds' stream subscriptions as the silo stops, while it can still reach the grains that keep them.
/// Left behind, each would belong to a client that no longer exists, and the next event on its stream would be retried
/// against it and logged as a failure before Orleans dropped it: for every celebrity a silo watched, at every restart
/// and rolling upgrade. A silo that crashes still leaves its subscriptions for Orleans to drop that way.
/// </summary>
internal sealed class FeedSubscriptionRelease(TradeFeed trades, SlotFeed slots, ChatFeed chats, ILogger<FeedSubscriptionRelease> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FeedSubscriptionRelease), ServiceLifecycleStage.Active, _ => Task.CompletedTask, async cancellationToken =>
        {
            try
            {
                await Task.WhenAll(trades.ReleaseAsync(), slots.ReleaseAsync(), chats.ReleaseAsync()).WaitAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Could not release every live feed subscription; Orleans drops the rest at their next event");
            }
        });
}
