using Exchange.Abstractions.Contracts;

namespace Exchange.Abstractions.Http;

/// <summary>What the live feed sends: a trade, or the top of the book after trades changed it.</summary>
public sealed record FeedEvent(string Kind, string CelebrityId, PublicTrade? Trade, MarketQuote? Quote);

/// <summary>
/// What an account's own feed sends: an order that changed (as it stands now), a trade from the account's side, or
/// the account's cash and the holdings a change touched.
/// </summary>
public sealed record AccountFeedEvent(string Kind, OrderView? Order, AccountTrade? Trade, AccountBalance? Balance);

public sealed record AccountBalance(long CashAvailableFen, long CashReservedFen, IReadOnlyList<HoldingView> Holdings, long CashHeldForWithdrawalsFen);
