using System.Collections.Concurrent;
using Exchange.Abstractions.Grains;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes a silo's order books fail to deliver settlement to one account, the way a wallet that cannot store anything
/// would: the book keeps the events and retries until the refusal is disposed. Keyed by account, since other test
/// classes settle their own accounts in the same process.
/// </summary>
public sealed class RefusedDeliveries : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, bool> Accounts = new();
    private static int _refused;

    /// <summary>Deliveries refused so far, to any account.</summary>
    public static int Refused => Volatile.Read(ref _refused);

    public static IDisposable RefuseTo(string accountId)
    {
        Accounts[accountId] = true;
        return new Accept(accountId);
    }

    private sealed class Accept(string accountId) : IDisposable
    {
        public void Dispose() => Accounts.TryRemove(accountId, out _);
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (!Accounts.IsEmpty && context.MethodName == nameof(IWalletGrain.ApplyBookEvents) && context.TargetId.Key.ToString() is { } account
            && Accounts.ContainsKey(account))
        {
            Interlocked.Increment(ref _refused);
            throw new InvalidOperationException($"Deliveries to {account} are refused by the test.");
        }

        return context.Invoke();
    }
}
