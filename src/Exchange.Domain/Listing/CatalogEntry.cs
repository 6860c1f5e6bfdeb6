namespace Exchange.Domain.Listing;

/// <summary>A fictional celebrity of the seed catalog, with the time the platform would buy on listing.</summary>
public sealed record CatalogEntry(
    string CelebrityId,
    string DisplayName,
    string Category,
    string AgentId,
    AudienceStats Audience,
    long IssueSeconds,
    long PriceFenPerSecond);
