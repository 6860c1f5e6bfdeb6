namespace Exchange.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record CelebrityListing(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] string Category,
    [property: Id(2)] string AgentId,
    [property: Id(3)] long Followers,
    [property: Id(4)] long AverageViewsPerPost);

[GenerateSerializer, Immutable]
public sealed record CelebrityProfile(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] bool IsListed,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string Category,
    [property: Id(4)] string AgentId,
    [property: Id(5)] long IssuedSeconds,
    [property: Id(6)] long RedeemedSeconds,
    [property: Id(7)] string PayoutAccountId,
    [property: Id(8)] long Followers,
    [property: Id(9)] long AverageViewsPerPost,
    [property: Id(10)] bool IsFlagged,
    [property: Id(11)] string? FlagReason,
    [property: Id(12)] string? DelistReason = null)
{
    public bool IsDelisted => DelistReason is not null;
}
