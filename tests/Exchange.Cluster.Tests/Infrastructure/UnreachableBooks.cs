using Exchange.Abstractions.Grains;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes one celebrity's order book unreachable from the silo's grains (the test's own client still reaches it), the way a book on a silo that just died
/// would be until Orleans places it again. Keyed by celebrity, since other test classes share the process.
/// </summary>
public sealed class UnreachableBooks : IOutgoingGrainCallFilter
{
    private static volatile string? _celebrity;

    public static void Cut(string? celebrityId) => _celebrity = celebrityId;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (_celebrity is { } celebrity && context.InterfaceMethod?.DeclaringType == typeof(IOrderBookGrain) && context.TargetId.Key.ToString() == celebrity)
        {
            throw new TimeoutException($"The book of {celebrity} is unreachable in this test.");
        }

        return context.Invoke();
    }
}
