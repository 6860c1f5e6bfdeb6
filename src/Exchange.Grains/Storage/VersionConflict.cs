using System.Globalization;
using Orleans.Storage;

namespace Exchange.Grains.Storage;

internal static class VersionConflict
{
    /// <summary>What a writer that lost to another activation gets: the same exception Orleans' own storage throws.</summary>
    public static InconsistentStateException For(string what, long expectedVersion) =>
        new($"{what} is no longer at version {expectedVersion}: another activation wrote it since.",
            "newer", expectedVersion.ToString(CultureInfo.InvariantCulture));
}
