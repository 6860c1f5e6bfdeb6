using Exchange.Abstractions.Contracts;

namespace Exchange.Abstractions.Http;

public sealed record CelebritySummary(
    string CelebrityId,
    string DisplayName,
    string Category,
    string AgentId,
    long IssuedSeconds,
    long RedeemedSeconds,
    MarketQuote Quote);

/// <summary>A celebrity after its agent changed: who represented it before, and the offers of time that agent had waiting, now withdrawn.</summary>
public sealed record AgentChangeResponse(CelebrityProfile Celebrity, string PreviousAgentId, IReadOnlyList<TimeOfferView> WithdrawnOffers);

public sealed record CelebrityDetail(CelebritySummary Celebrity, MarketSummary Market);

/// <summary>A trade as the public sees it: no counterparties.</summary>
public sealed record PublicTrade(string TradeId, string CelebrityId, long PriceFen, long Quantity, DateTimeOffset ExecutedAt);

/// <summary>A trade from one account's side.</summary>
public sealed record AccountTrade(string TradeId, string CelebrityId, string Side, string OrderId, long PriceFen, long Quantity, long NotionalFen, long CommissionFen, DateTimeOffset ExecutedAt)
{
    /// <summary>The trade as <paramref name="accountId"/> took part in it; only the seller pays commission.</summary>
    public static AccountTrade From(string accountId, TradeRecord t) => t.BuyerId == accountId
        ? new AccountTrade(t.TradeId, t.CelebrityId, "buy", t.BuyOrderId, t.PriceFen, t.Quantity, t.NotionalFen, 0, t.ExecutedAt)
        : new AccountTrade(t.TradeId, t.CelebrityId, "sell", t.SellOrderId, t.PriceFen, t.Quantity, t.NotionalFen, t.CommissionFen, t.ExecutedAt);

    /// <summary>What the trade moved in the account's cash: minus the value for a buyer, plus the value less the fee for a seller.</summary>
    public long CashMovedFen() => Side == "buy" ? -NotionalFen : NotionalFen - CommissionFen;
}

/// <summary>One page of an account's trades, newest first; <c>NextBefore</c> fetches the next page, null on the last.</summary>
public sealed record AccountTradePage(IReadOnlyList<AccountTrade> Trades, string? NextBefore);

public sealed record WalletHistory(IReadOnlyList<OrderView> Orders, IReadOnlyList<AccountTrade> Trades);

/// <summary>Who a key belongs to, and its role.</summary>
/// <summary>What became of each order of a batch, in the order sent.</summary>
public sealed record BatchOrderResult(IReadOnlyList<BatchOrderOutcome> Results);

/// <param name="Status">What a single placement would have answered: 201 placed, 200 a replay, or the refusal's 4xx.</param>
/// <param name="Placed">The order, unless it was refused.</param>
/// <param name="Code">The refusal's code (as in a problem's <c>code</c>), if it was refused.</param>
/// <param name="Detail">The refusal's explanation, if it was refused.</param>
public sealed record BatchOrderOutcome(int Status, OrderResult? Placed, string? Code = null, string? Detail = null);

/// <param name="ReadOnly">The key may only read (see <see cref="KeyInfo.ReadOnly"/>).</param>
public sealed record Caller(string AccountId, string? Role, bool ReadOnly = false);

public sealed record CreatedKey(string KeyId, string AccountId, string Role, string Token, bool ReadOnly = false);

/// <param name="Role">What the key acts as: fan, celebrity or operator.</param>
/// <param name="ReadOnly">A key for apps that only show the account: it reads what its role may read and changes nothing.</param>
public sealed record KeyInfo(string KeyId, string AccountId, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool ReadOnly = false);

public sealed record Health(string Status, string Storage);

public sealed record CatalogLoadSummary(int Listed, int AlreadyListed, int Refused, int Issued, IReadOnlyList<string> Problems);

/// <summary>
/// A silo. <see cref="Build"/> is the sum of its grain interface versions (null when not known, as for a dead silo);
/// during a rolling upgrade only the silos of the <see cref="NewestBuild"/> take new activations.
/// </summary>
public sealed record SiloInfo(string Address, string Name, string Status, DateTimeOffset StartTime, DateTimeOffset IAmAliveTime, int? Build, bool NewestBuild);

public sealed record ActivationCount(string Silo, string GrainType, int Activations);

public sealed record RebalanceResult(int Moved, IReadOnlyDictionary<string, int> PlannedPerSilo);

/// <summary>The platform's commission: the total, the latest trading days and the celebrities that earned the most.</summary>
public sealed record CommissionReport(long TotalFen, long TradeCount, IReadOnlyList<CommissionOnDay> ByDay, IReadOnlyList<CommissionFromCelebrity> TopCelebrities);

public sealed record CommissionOnDay(DateOnly Day, long Fen);

public sealed record CommissionFromCelebrity(string CelebrityId, long Fen);

/// <summary>What a cancel-all did: the orders it cancelled, and those it could not (filled meanwhile, say).</summary>
public sealed record CancelAllResult(IReadOnlyList<OrderView> Cancelled, IReadOnlyList<CancelRefusal> Refused);

public sealed record CancelRefusal(string OrderId, string Code, string Detail);

/// <summary>
/// The trading rules in force on this exchange, so that clients can show them and work out an order's fee before
/// placing it: the commission (basis points of each trade's notional, rounded half up to the fen, paid by the seller),
/// the tick, the daily band around the reference price, the volatility halt (a move of more than the given basis points
/// within the window pauses the book for the duration), the largest price x quantity one order may carry, and the
/// seconds each contact costs at least.
/// </summary>
public sealed record MarketRules(
    int CommissionBasisPoints,
    long TickFen,
    int PriceBandBasisPoints,
    string TradingDayTimeZone,
    int VolatilityHaltMoveBasisPoints,
    TimeSpan VolatilityHaltWindow,
    TimeSpan VolatilityHaltDuration,
    long MaxOrderNotionalFen,
    long TextChatMinimumSeconds,
    long VideoCallMinimumSeconds,
    long MeetUpMinimumSeconds,
    TimeSpan FanCancellationCutoff);

/// <summary>How many celebrities' books a market-wide halt or resume reached.</summary>
public sealed record MarketHaltResult(int Books);

/// <summary>Whether an operator has halted the whole exchange.</summary>
public sealed record MarketStatus(string? HaltReason)
{
    public bool Halted => HaltReason is not null;
}

/// <summary>What a payment notification did: credited the account, or nothing (not succeeded, or already credited).</summary>
public sealed record PaymentReceipt(string PaymentId, string AccountId, bool Credited, bool Replayed);

/// <summary>An accepted offer of time and the issuance that bought it (absent when an earlier acceptance did).</summary>
public sealed record TimeOfferDecision(TimeOfferView Offer, IssuanceResult? Issuance);

/// <summary>A fan blocked from chatting with a celebrity, and the fan's chats the block ended (their used seconds burned as usual).</summary>
public sealed record ChatBlockResult(ChatBlock Block, IReadOnlyList<ChatView> EndedChats);
