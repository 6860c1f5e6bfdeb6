namespace Exchange.Domain.Listing;

/// <summary>
/// Whom the platform buys time from. Defaults follow the strictest creator-partner programmes: at least 5,000
/// followers and, over the last month, at least 10,000 views per post on average.
/// </summary>
public sealed record ListingRules(long MinimumFollowers = ListingRules.DefaultMinimumFollowers, long MinimumAverageViews = ListingRules.DefaultMinimumAverageViews)
{
    public const long DefaultMinimumFollowers = 5_000;
    public const long DefaultMinimumAverageViews = 10_000;

    public static ListingRules Default { get; } = new();

    /// <summary>Null when the audience qualifies; otherwise every reason it does not, in words.</summary>
    public string? Refusal(AudienceStats audience)
    {
        var reasons = new List<string>();
        if (audience.Followers < MinimumFollowers)
        {
            reasons.Add($"{audience.Followers:N0} followers is below the minimum of {MinimumFollowers:N0}");
        }

        if (audience.AverageViewsPerPost < MinimumAverageViews)
        {
            reasons.Add($"{audience.AverageViewsPerPost:N0} average views per post over the last month is below the minimum of {MinimumAverageViews:N0}");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons) + ".";
    }
}
