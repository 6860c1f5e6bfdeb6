using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.Hosting;

/// <summary>
/// What the withdrawal desk held when this silo last looked (<see cref="WithdrawalDeskWatch"/>): how many requests wait
/// for an operator, and since when the oldest has. Fans and agents wait for that money, so operators alert on it.
/// </summary>
public sealed class WithdrawalsWaiting
{
    private sealed record Observation(int Count, DateTimeOffset? OldestRequestedAt);

    private volatile Observation _latest = new(0, null);

    public int Count => _latest.Count;

    public TimeSpan OldestWait(DateTimeOffset now) =>
        _latest.OldestRequestedAt is { } oldest && now > oldest ? now - oldest : TimeSpan.Zero;

    public void Observe(IReadOnlyCollection<WithdrawalView> pending) =>
        _latest = new Observation(pending.Count, pending.Count == 0 ? null : pending.Min(w => w.RequestedAt));
}
