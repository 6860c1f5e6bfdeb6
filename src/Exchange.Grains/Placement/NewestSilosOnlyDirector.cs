using System.Collections.Immutable;
using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Exchange.Grains.Placement;

/// <summary>Keeps, of the silos that could host a grain, those running the newest build.</summary>
public sealed class NewestSilosOnlyDirector(IClusterManifestProvider manifests) : IPlacementFilterDirector
{
    // One reference, so a concurrent placement sees a manifest and the versions read from it, never a mix.
    private VersionsOfManifest? _cache;

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var current = manifests.Current;
        var cache = _cache;
        if (cache is null || !ReferenceEquals(cache.Manifest, current))
        {
            cache = new VersionsOfManifest(current, SiloVersions.Of(current));
            _cache = cache;
        }

        return SiloVersions.Newest(cache.Versions, silos);
    }

    private sealed record VersionsOfManifest(ClusterManifest Manifest, ImmutableDictionary<SiloAddress, int> Versions);
}
