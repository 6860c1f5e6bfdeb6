namespace Exchange.Abstractions.Grains;

/// <summary>
/// References to string-keyed grains with the grain and interface types resolved once per interface. Orleans 10.4's
/// <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's type anew on every call (reflection over its attributes,
/// then formatting its name): ~3% of a silo's CPU under load in <c>perf</c>, on the calls every order makes.
/// </summary>
public static class KeyedGrains
{
    public static TGrain ByKey<TGrain>(this IGrainFactory factory, string key) where TGrain : IGrainWithStringKey
    {
        var identity = Identity<TGrain>.Resolved ??= Identity<TGrain>.Resolve(factory);
        return (TGrain)factory.GetGrain(GrainId.Create(identity.GrainType, key), identity.InterfaceType);
    }

    // A class, so that publishing a resolved identity is one reference write that no thread can see half done.
    private sealed class Identity<TGrain>(GrainType grainType, GrainInterfaceType interfaceType) where TGrain : IGrainWithStringKey
    {
        public static Identity<TGrain>? Resolved;

        public GrainType GrainType { get; } = grainType;

        public GrainInterfaceType InterfaceType { get; } = interfaceType;

        public static Identity<TGrain> Resolve(IGrainFactory factory)
        {
            var reference = (GrainReference)(object)factory.GetGrain<TGrain>("identity");
            return new Identity<TGrain>(reference.GrainId.Type, reference.InterfaceType);
        }
    }
}
