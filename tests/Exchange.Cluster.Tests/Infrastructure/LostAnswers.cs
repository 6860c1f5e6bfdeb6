namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Loses the answer to one call between grains: the called grain does its work, and the caller gets a timeout, as when
/// the silo carrying the answer dies. Keyed, since other test classes share the process.
/// </summary>
public sealed class LostAnswers : IOutgoingGrainCallFilter
{
    private sealed record Target(Type Interface, string Key, string Method);

    private static Target? _next;

    public static void LoseNext<TGrain>(string key, string method) where TGrain : IGrainWithStringKey =>
        Volatile.Write(ref _next, new Target(typeof(TGrain), key, method));

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        await context.Invoke();
        if (Volatile.Read(ref _next) is { } next && context.InterfaceMethod?.DeclaringType == next.Interface && context.MethodName == next.Method
            && context.TargetId.Key.ToString() == next.Key && Interlocked.CompareExchange(ref _next, null, next) == next)
        {
            throw new TimeoutException($"The answer of {next.Interface.Name} {next.Key}.{next.Method} was lost in this test.");
        }
    }
}
