using System.Collections.Immutable;
using Orleans.Metadata;

namespace Exchange.Grains.Placement;

/// <summary>
/// How new each silo's build is, read from the grain interface versions every silo advertises in the cluster
/// manifest. A build that changes a grain's stored state or methods raises that grain interface's <c>[Version]</c>,
/// and versions only go up, so the silos with the highest sum are the ones running the newest build.
/// </summary>
public static class SiloVersions
{
    /// <summary>The sum of the grain interface versions each silo in <paramref name="manifest"/> advertises.</summary>
    public static ImmutableDictionary<SiloAddress, int> Of(ClusterManifest manifest) =>
        manifest.Silos.ToImmutableDictionary(silo => silo.Key, silo => Sum(silo.Value));

    /// <summary>
    /// Those of <paramref name="silos"/> running the newest build among them. A silo missing from the manifest (just
    /// joined, not yet heard of) counts as the oldest, so it gets nothing until its versions are known.
    /// </summary>
    public static IReadOnlyList<SiloAddress> Newest(IReadOnlyDictionary<SiloAddress, int> versions, IEnumerable<SiloAddress> silos)
    {
        var known = silos.Select(silo => (Silo: silo, Version: versions.GetValueOrDefault(silo, -1))).ToList();
        if (known.Count == 0)
        {
            return [];
        }

        var newest = known.Max(candidate => candidate.Version);
        return known.Where(candidate => candidate.Version == newest).Select(candidate => candidate.Silo).ToList();
    }

    /// <summary>The sum of the grain interface versions one silo's manifest advertises.</summary>
    public static int Sum(GrainManifest manifest) =>
        manifest.Interfaces.Values.Sum(properties =>
            properties.Properties.TryGetValue(WellKnownGrainInterfaceProperties.Version, out var version) && int.TryParse(version, out var parsed)
                ? parsed
                : 0);
}
