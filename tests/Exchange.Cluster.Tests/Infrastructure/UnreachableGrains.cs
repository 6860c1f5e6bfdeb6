using System.Collections.Concurrent;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes a grain unreachable from the silo's grains (the test's own client still reaches it), the way a grain on a
/// silo that just died would be until Orleans places it again. Keyed, and each cut lifted on its own, since other
/// test classes share the process and cut grains of their own at the same time.
/// </summary>
public sealed class UnreachableGrains : IOutgoingGrainCallFilter
{
    private sealed record Target(Type Interface, string Key);

    private static readonly ConcurrentDictionary<Target, bool> Cuts = new();

    /// <summary>Cuts the grain off until the returned handle is disposed.</summary>
    public static IDisposable Cut<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        var target = new Target(typeof(TGrain), key);
        Cuts[target] = true;
        return new Restore(target);
    }

    private sealed class Restore(Target target) : IDisposable
    {
        public void Dispose() => Cuts.TryRemove(target, out _);
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (!Cuts.IsEmpty && context.InterfaceMethod?.DeclaringType is { } type && Cuts.ContainsKey(new Target(type, context.TargetId.Key.ToString()!)))
        {
            throw new TimeoutException($"{type.Name} {context.TargetId.Key} is unreachable in this test.");
        }

        return context.Invoke();
    }
}
