using Exchange.Abstractions.Grains;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Counts the wallet snapshot reads a silo's grains have sent and not yet had answered, for accounts whose id starts
/// with <see cref="Prefix"/>: the test that the audit reads wallets in bounded rounds. Counted where the calls are sent,
/// since a snapshot is answered in microseconds once it arrives. Other tests read their own wallets in the same
/// process, so a test watches only a prefix of its own.
/// </summary>
public sealed class WalletReadsInFlight : IOutgoingGrainCallFilter
{
    private static int _current;
    private static int _peak;

    public static string? Prefix { get; private set; }

    public static int Peak => Volatile.Read(ref _peak);

    public static void Watch(string prefix)
    {
        Prefix = prefix;
        Volatile.Write(ref _peak, 0);
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var watched = Prefix is { } prefix
            && context.MethodName == nameof(IWalletGrain.GetAuditReading)
            && context.TargetId.Key.ToString()!.StartsWith(prefix, StringComparison.Ordinal);
        if (!watched)
        {
            await context.Invoke();
            return;
        }

        var now = Interlocked.Increment(ref _current);
        for (var peak = Volatile.Read(ref _peak); now > peak; peak = Volatile.Read(ref _peak))
        {
            if (Interlocked.CompareExchange(ref _peak, now, peak) == peak)
            {
                break;
            }
        }

        try
        {
            await context.Invoke();
        }
        finally
        {
            Interlocked.Decrement(ref _current);
        }
    }
}
