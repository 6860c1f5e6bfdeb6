using Exchange.Abstractions.Contracts;

namespace Exchange.Abstractions.Http;

/// <summary>What the live feed sends: a trade, or the top of the book after trades changed it.</summary>
public sealed record FeedEvent(string Kind, string CelebrityId, PublicTrade? Trade, MarketQuote? Quote);
