using Exchange.Abstractions.Grains;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes a silo's order books fail to deliver settlement to one account, the way a wallet that cannot store anything
/// would: the book keeps the events and retries until <see cref="RefuseTo"/> is cleared. Keyed by account, since other
/// test classes settle their own accounts in the same process.
/// </summary>
public sealed class RefusedDeliveries : IOutgoingGrainCallFilter
{
    private static volatile string? _account;
    private static int _refused;

    public static int Refused => Volatile.Read(ref _refused);

    public static void RefuseTo(string? accountId) => _account = accountId;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (_account is { } account
            && context.MethodName == nameof(IWalletGrain.ApplyBookEvents)
            && context.TargetId.Key.ToString() == account)
        {
            Interlocked.Increment(ref _refused);
            throw new InvalidOperationException($"Deliveries to {account} are refused by the test.");
        }

        return context.Invoke();
    }
}
