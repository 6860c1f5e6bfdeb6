using Exchange.Domain.Orders;

namespace Exchange.Abstractions.Http;

/// <summary>Prices are fen (0.01 CNY) per second; quantities whole seconds. Unknown fields are refused.</summary>
public sealed record PlaceOrderRequest
{
    public required string ClientOrderId { get; init; }
    public required string CelebrityId { get; init; }
    public required Side Side { get; init; }
    public OrderType Type { get; init; } = OrderType.Limit;
    public TimeInForce TimeInForce { get; init; } = TimeInForce.GoodTillCancel;

    /// <summary>Limit price in fen per second; omitted for market orders.</summary>
    public long? PriceFen { get; init; }
    public required long Quantity { get; init; }

    /// <summary>
    /// Makes it a stop order: held off the book, unseen, until a trade reaches this price (fen per second; at or below it
    /// for a sell, at or above it for a buy), then placed as the limit or market order it is. timeInForce says how
    /// long it waits (gtc or day; ioc and fok wait until cancelled and apply once it triggers).
    /// </summary>
    public long? StopPriceFen { get; init; }
}

/// <summary>Several orders in one request, for a market maker quoting many celebrities: placed in the order given.</summary>
public sealed record BatchOrderRequest
{
    public const int MaxOrders = 20;

    /// <summary>1 to <see cref="MaxOrders"/> orders, each as for a single placement.</summary>
    public required IReadOnlyList<PlaceOrderRequest> Orders { get; init; }
}

/// <summary>One change to an open order: fewer seconds to trade (keeping its place in the queue), or a new limit price.</summary>
public sealed record ChangeOrderRequest
{
    /// <summary>How many seconds the order should keep to trade: fewer than it has outstanding, at least 1.</summary>
    public long? RemainingQuantity { get; init; }

    /// <summary>A new limit price, in fen per second, for a resting limit order: it queues anew and may trade at once.</summary>
    public long? PriceFen { get; init; }
}

public sealed record MoneyMovementRequest
{
    public required string IdempotencyKey { get; init; }
    public required long AmountFen { get; init; }

    /// <summary>Why, for the account's owner, who sees it with the adjustment (at most 200 characters).</summary>
    public string? Note { get; init; }
}

public sealed record ListCelebrityRequest
{
    public required string CelebrityId { get; init; }
    public required string DisplayName { get; init; }
    public required string Category { get; init; }
    public string? AgentId { get; init; }

    /// <summary>Audience figures the listing rules judge (defaults: at least 5,000 followers and 10,000 average views per post).</summary>
    public required long Followers { get; init; }
    public required long AverageViewsPerPost { get; init; }
}

/// <summary>An operator's answer to an offer of time with other terms.</summary>
public sealed record CounterOfferRequest
{
    public required long Seconds { get; init; }
    public required long PriceFen { get; init; }

    /// <summary>Why, for the celebrity's side (at most 200 characters).</summary>
    public string? Note { get; init; }
}

public sealed record AgentRequest
{
    /// <summary>The agent's account id; empty or left out: none, the celebrity acts for itself.</summary>
    public string? AgentId { get; init; }
}

public sealed record AudienceRequest
{
    public required long Followers { get; init; }
    public required long AverageViewsPerPost { get; init; }
}

public sealed record IssueTimeRequest
{
    public required string IssuanceId { get; init; }
    public required long Seconds { get; init; }
    public required long PriceFen { get; init; }
}

/// <summary>
/// A celebrity's (or agent's) offer of time to the platform. <see cref="OfferId"/> makes it idempotent (a random one
/// when left out); <see cref="Note"/> is for the operator who decides.
/// </summary>
public sealed record TimeOfferRequest
{
    public string? OfferId { get; init; }
    public required long Seconds { get; init; }
    public required long PriceFen { get; init; }
    public string? Note { get; init; }
}

/// <summary>Why an operator suspends an account; its owner reads it on every refusal the suspension causes.</summary>
public sealed record SuspendRequest
{
    public required string Reason { get; init; }
}

/// <summary>An operator's acceptance or decline of a time offer; the note reaches the celebrity's side.</summary>
public sealed record OfferDecisionRequest
{
    public string? Note { get; init; }
}

public sealed record HaltRequest
{
    public string? Reason { get; init; }
}

/// <summary>A delisting needs a reason: fans and operators read it wherever the celebrity's quote shows.</summary>
public sealed record DelistRequest
{
    public required string Reason { get; init; }
}

public sealed record CreateKeyRequest
{
    public required string AccountId { get; init; }
    public required string Role { get; init; }

    /// <summary>A token the client made, as for <see cref="RotateKeyRequest.Token"/>, so that the request can be repeated.</summary>
    public string? Token { get; init; }

    /// <summary>A key that may only read (for an app that shows the account), refused every change with 403 read_only_key.</summary>
    public bool ReadOnly { get; init; }
}

/// <summary>
/// Replacing one's own key. With <see cref="Token"/> the caller chose the new key itself (cx_, 16 hex digits, _, 43
/// base64url characters of random secret), so it holds the key before the answer comes and a lost answer cannot lock
/// it out. Without it the exchange makes one and the answer is the only place it appears.
/// </summary>
public sealed record RotateKeyRequest
{
    public string? Token { get; init; }
}

public sealed record PublishSlotRequest
{
    public required string SlotId { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required int DurationMinutes { get; init; }
    public required Exchange.Domain.Redemption.SlotKind Kind { get; init; }

    /// <summary>Where a meet-up happens; required for meet-ups.</summary>
    public string? Location { get; init; }

    /// <summary>Seconds a booking holds; at least the tier minimum (600 video call, 7,500 meet-up), which is the default.</summary>
    public long? Seconds { get; init; }

    /// <summary>How to join (a video call's link, where exactly to meet), up to 500 characters: only the fan who books it sees them.</summary>
    public string? JoiningDetails { get; init; }
}

public sealed record JoiningDetailsRequest
{
    /// <summary>Null or empty takes them away.</summary>
    public string? JoiningDetails { get; init; }
}

public sealed record ChatRequest
{
    public required string RedemptionId { get; init; }
    public required long Seconds { get; init; }
}

/// <summary>
/// A fan opens a text chat with its first message, holding <see cref="Seconds"/> (1-3,600). <see cref="ChatId"/> makes it
/// idempotent (letters, digits, '.', '_' and '-'; a random one when left out).
/// </summary>
public sealed record OpenChatRequest
{
    public string? ChatId { get; init; }
    public required long Seconds { get; init; }
    public required string Message { get; init; }
}

public sealed record ChatMessageRequest
{
    public required string Text { get; init; }
}

/// <summary>The celebrity's side stops a fan opening chats; <see cref="Reason"/> (up to 200 characters) is for its own records.</summary>
public sealed record ChatBlockRequest
{
    public string? Reason { get; init; }

    /// <summary>For how many hours (1 to 8,760, a year); left out, until lifted.</summary>
    public int? Hours { get; init; }
}

/// <summary>
/// A payment provider's notification that a fan's payment changed state, signed with the shared secret (header
/// <c>Exchange-Signature</c>). Only <see cref="PaymentStatus.Succeeded"/> credits the account.
/// </summary>
public sealed record PaymentNotification
{
    /// <summary>The provider's id of the payment: one payment credits once, however often it is notified.</summary>
    public required string PaymentId { get; init; }
    public required string AccountId { get; init; }
    public required long AmountFen { get; init; }
    public required PaymentStatus Status { get; init; }
}

public enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>A fan's request to take cash out; the request id makes a retry harmless.</summary>
public sealed record WithdrawalRequest
{
    public required string RequestId { get; init; }
    public required long AmountFen { get; init; }
}

/// <summary>An operator's decision on a withdrawal: the payout reference when paying, the reason when rejecting.</summary>
public sealed record WithdrawalDecisionRequest
{
    public required string Note { get; init; }
}
