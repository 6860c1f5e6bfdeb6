using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;

namespace Exchange.Grains.State;

/// <summary>A fan's order and the reservation still standing behind it.</summary>
[GenerateSerializer]
public sealed class WalletOrderState
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string ClientOrderId { get; init; }
    [Id(2)] public required string CelebrityId { get; init; }
    [Id(3)] public long OrderNumber { get; init; }
    [Id(4)] public Side Side { get; init; }
    [Id(5)] public OrderType Type { get; init; }
    [Id(6)] public TimeInForce TimeInForce { get; init; }
    [Id(7)] public long LimitPriceFen { get; init; }

    /// <summary>
    /// Cash reserved per second for a buy: the limit, or the band's upper edge for a market buy. Raised before the book
    /// may trade a buy at a higher price; lowered only to <see cref="HighestTradablePriceFen"/>, because fills on their
    /// way from the book may be at an older, higher price, and each releases this much per second.
    /// </summary>
    [Id(8)] public long ReservationPriceFen { get; set; }
    [Id(9)] public long Quantity { get; init; }
    [Id(10)] public long FilledQuantity { get; set; }
    [Id(11)] public long CancelledQuantity { get; set; }
    [Id(12)] public OrderState State { get; set; }
    [Id(13)] public DateTimeOffset CreatedAt { get; init; }
    [Id(14)] public IReadOnlyList<ExecutedFill> InitialFills { get; set; } = [];

    /// <summary>Place among the wallet's closed orders, oldest first (storage keeps each as a row of its own).</summary>
    [Id(15)] public long ClosedPosition { get; set; }

    /// <summary>
    /// The limit price the fan changed a resting order to (0: never changed). <see cref="LimitPriceFen"/> stays the
    /// price it was placed at, so that a retry of the placement is still recognised as that order.
    /// </summary>
    [Id(16)] public long RepricedLimitFen { get; set; }

    /// <summary>The price the order trades at or better now.</summary>
    public long CurrentLimitPriceFen => RepricedLimitFen > 0 ? RepricedLimitFen : LimitPriceFen;

    /// <summary>
    /// The limit as of the last book event applied for this order: the placed price, then each price change the book
    /// reported. Every fill before that event has been applied too. 0 for an order placed by a build that did not keep
    /// it: its reservation is never lowered, as a price change that build sent may still reach the book.
    /// </summary>
    [Id(17)] public long SettledLimitFen { get; set; }

    /// <summary>
    /// Prices asked of the book, oldest first, whose event has not been applied (sent, in flight, or with the answer
    /// lost): the book may trade the order at any of them. Only ever replaced, never changed in place.
    /// </summary>
    [Id(18)] public IReadOnlyList<long> UnsettledRepricesFen { get; set; } = [];

    /// <summary>The stop price of a stop order, which its book holds off the book until a trade reaches it; 0 for any other.</summary>
    [Id(19)] public long StopPriceFen { get; init; }

    /// <summary>Whether a trade reached <see cref="StopPriceFen"/>, so that the order is on its book (or was) like any other.</summary>
    [Id(20)] public bool StopTriggered { get; set; }

    /// <summary>
    /// The most per second the book may yet trade this order at: its reservation need cover no more. The reservation
    /// itself for an order whose <see cref="SettledLimitFen"/> is unknown.
    /// </summary>
    public long HighestTradablePriceFen => SettledLimitFen == 0
        ? ReservationPriceFen
        : Math.Max(Math.Max(SettledLimitFen, CurrentLimitPriceFen), UnsettledRepricesFen.Count == 0 ? 0 : UnsettledRepricesFen.Max());

    /// <summary>
    /// Every field that can change after the order is created (all others are init-only): storage rewrites an open
    /// order exactly when this changes. <c>WalletOrderStateTests</c> fails if a settable field is added without it.
    /// </summary>
    public ChangeableFields Changeable =>
        new(State, FilledQuantity, CancelledQuantity, InitialFills, ClosedPosition, ReservationPriceFen, RepricedLimitFen, SettledLimitFen, UnsettledRepricesFen, StopTriggered);

    /// <summary>Compared by value, except the lists: by reference, as they are only ever replaced.</summary>
    public readonly record struct ChangeableFields(
        OrderState State, long FilledQuantity, long CancelledQuantity, IReadOnlyList<ExecutedFill> InitialFills, long ClosedPosition, long ReservationPriceFen,
        long RepricedLimitFen, long SettledLimitFen, IReadOnlyList<long> UnsettledRepricesFen, bool StopTriggered);

    public long OutstandingQuantity => Quantity - FilledQuantity - CancelledQuantity;

    public bool IsDone => OutstandingQuantity == 0 || State == OrderState.Rejected;

    /// <summary>
    /// A market order cannot rest on the book, so good-till-cancel or for the day means immediate-or-cancel for it;
    /// for a stop order they say how long it waits for its stop price (it trades as immediate-or-cancel once triggered).
    /// </summary>
    public static TimeInForce EffectiveTimeInForce(OrderType type, TimeInForce requested, long stopPriceFen) =>
        type == OrderType.Market && requested.Rests() && stopPriceFen == 0 ? TimeInForce.ImmediateOrCancel : requested;

    /// <summary>Whether the order may rest on the book with a price that can be changed.</summary>
    public bool CanRest => Type == OrderType.Limit && TimeInForce.Rests();

    /// <summary>Whether <paramref name="command"/> asks for this very order: a retry of it rather than a new order under a reused id.</summary>
    public bool IsPlacedBy(PlaceOrderCommand command) =>
        command.CelebrityId == CelebrityId && command.Side == Side && command.Type == Type && command.Quantity == Quantity
        && EffectiveTimeInForce(command.Type, command.TimeInForce, command.StopPriceFen) == TimeInForce && command.StopPriceFen == StopPriceFen
        && (command.Type != OrderType.Limit || command.LimitPriceFen == LimitPriceFen);

    public OrderView ToView() => new(OrderId, ClientOrderId, CelebrityId, Side, Type, TimeInForce, CurrentLimitPriceFen, Quantity, FilledQuantity, CancelledQuantity, State, CreatedAt,
        StopPriceFen > 0 ? StopPriceFen : null, StopTriggered);

    /// <summary>The state that filled and cancelled quantities imply, once the book has accepted the order.</summary>
    public OrderState DerivedState() =>
        OutstandingQuantity == 0 ? (CancelledQuantity == 0 ? OrderState.Filled : OrderState.Cancelled)
        : FilledQuantity > 0 ? OrderState.PartiallyFilled
        : OrderState.Open;
}
