namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes one grain unreachable from the silo's grains (the test's own client still reaches it), the way a grain on a
/// silo that just died would be until Orleans places it again. Keyed, since other test classes share the process.
/// </summary>
public sealed class UnreachableGrains : IOutgoingGrainCallFilter
{
    private sealed record Target(Type Interface, string Key);

    private static volatile Target? _cut;

    public static void Cut<TGrain>(string key) where TGrain : IGrainWithStringKey => _cut = new Target(typeof(TGrain), key);

    public static void Restore() => _cut = null;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (_cut is { } cut && context.InterfaceMethod?.DeclaringType == cut.Interface && context.TargetId.Key.ToString() == cut.Key)
        {
            throw new TimeoutException($"{cut.Interface.Name} {cut.Key} is unreachable in this test.");
        }

        return context.Invoke();
    }
}
