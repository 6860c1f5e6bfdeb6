namespace Exchange.Grains.State;

/// <summary>The short lists an account shows (top-ups, adjustments): newest first, each entry once, the latest few only.</summary>
public static class NewestFirst
{
    /// <summary>
    /// <paramref name="list"/> with <paramref name="entry"/> in its place, or null when an entry with its id is listed already.
    /// </summary>
    public static List<T>? With<T>(List<T> list, T entry, Func<T, string> idOf, Func<T, DateTimeOffset> timeOf, int kept) =>
        list.Any(listed => idOf(listed) == idOf(entry))
            ? null
            : list.Append(entry).OrderByDescending(timeOf).ThenBy(idOf, StringComparer.Ordinal).Take(kept).ToList();
}
