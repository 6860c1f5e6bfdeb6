using Orleans.Metadata;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes a test silo advertise every versioned grain interface one version lower, as a silo still running the previous
/// build would during a rolling upgrade: it calls with those versions and the cluster sees it as the older build.
/// </summary>
public sealed class PreviousBuildInterfaces : IGrainInterfacePropertiesProvider
{
    /// <summary>Comma-separated names of the test silos (TestingHost names them <c>Primary</c>, <c>Secondary_1</c>, ...) that play the previous build.</summary>
    public const string SilosSetting = "Test:PreviousBuildSilos";

    public void Populate(Type interfaceType, GrainInterfaceType grainInterfaceType, Dictionary<string, string> properties)
    {
        if (properties.TryGetValue(WellKnownGrainInterfaceProperties.Version, out var version) && ushort.TryParse(version, out var current) && current > 0)
        {
            properties[WellKnownGrainInterfaceProperties.Version] = (current - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
