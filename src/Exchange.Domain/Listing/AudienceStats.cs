namespace Exchange.Domain.Listing;

/// <summary>A celebrity's reach: followers, and average views per post over the last month.</summary>
public readonly record struct AudienceStats(long Followers, long AverageViewsPerPost);
