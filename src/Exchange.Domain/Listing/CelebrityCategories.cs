namespace Exchange.Domain.Listing;

/// <summary>The kinds of celebrity the exchange lists; every listing names one.</summary>
public static class CelebrityCategories
{
    public static readonly IReadOnlyList<string> All = ["actor", "athlete", "musician", "gamer", "model", "entrepreneur"];

    public static bool IsKnown(string category) => All.Contains(category, StringComparer.Ordinal);

    /// <summary>For messages: "actor, athlete, ..., entrepreneur".</summary>
    public static string Listed => string.Join(", ", All);
}
