using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Grains.State;

/// <summary>
/// Built afresh from the engine for every write and never changed after, so storage copies need not clone it
/// (a book holds thousands; cloning them all on every write showed up in the silo's CPU).
/// </summary>
[GenerateSerializer, Immutable]
public sealed class RestingOrderState
{
    [Id(0)] public long EngineOrderId { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required string OwnerId { get; init; }
    [Id(3)] public Side Side { get; init; }
    [Id(4)] public long PriceFen { get; init; }
    [Id(5)] public long OriginalQuantity { get; init; }
    [Id(6)] public long RemainingQuantity { get; init; }
    [Id(7)] public long Sequence { get; init; }

    /// <summary>Placed for the trading day only: cancelled when the day ends.</summary>
    [Id(8)] public bool GoodForDay { get; init; }
}

/// <summary>A stop order waiting off the book for a trade to reach its stop price (see <see cref="Domain.Orders.StopOrder"/>).</summary>
[GenerateSerializer, Immutable]
public sealed class StopOrderState
{
    [Id(0)] public long EngineOrderId { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required string OwnerId { get; init; }
    [Id(3)] public Side Side { get; init; }
    [Id(4)] public OrderType Type { get; init; }
    [Id(5)] public TimeInForce TimeInForce { get; init; }

    /// <summary>The limit of a stop-limit order; for a stop-market buy what its wallet reserved per second, 0 for a sell.</summary>
    [Id(6)] public long LimitPriceFen { get; init; }
    [Id(7)] public long StopPriceFen { get; init; }
    [Id(8)] public long Quantity { get; init; }
    [Id(9)] public long Sequence { get; init; }

    public static StopOrderState Of(StopOrder stop) => new()
    {
        EngineOrderId = stop.OrderId,
        OrderId = stop.Reference,
        OwnerId = stop.Owner,
        Side = stop.Side,
        Type = stop.Type,
        TimeInForce = stop.TimeInForce,
        LimitPriceFen = stop.LimitPrice.FenPerSecond,
        StopPriceFen = stop.StopPrice.FenPerSecond,
        Quantity = stop.Quantity.Value,
        Sequence = stop.Sequence,
    };

    public StopOrder ToStopOrder() =>
        new(EngineOrderId, OwnerId, OrderId, Side, Type, TimeInForce, new Price(LimitPriceFen), new Price(StopPriceFen), new Seconds(Quantity), Sequence);
}

[GenerateSerializer, Immutable]
public sealed class PricePointState
{
    [Id(0)] public DateTimeOffset Time { get; init; }
    [Id(1)] public long PriceFen { get; init; }
}

/// <summary>
/// A book as persisted: resting orders, market-protection state, and the outbox of events not yet acknowledged by
/// every wallet, the commission account and the journal. The outbox is written together with the match that
/// produced it, so a crash can delay settlement but never lose or repeat it.
/// </summary>
[GenerateSerializer]
public sealed class OrderBookState
{
    [Id(0)] public bool IsOpen { get; set; }
    [Id(1)] public long ReferencePriceFen { get; set; }
    [Id(2)] public long? LastPriceFen { get; set; }
    [Id(3)] public DateOnly TradingDay { get; set; }
    [Id(4)] public long NextSequence { get; set; } = 1;
    [Id(5)] public long NextEngineOrderId { get; set; } = 1;
    [Id(6)] public List<RestingOrderState> RestingOrders { get; set; } = new();
    [Id(7)] public List<BookEvent> Outbox { get; set; } = new();
    [Id(8)] public List<PricePointState> RecentPrices { get; set; } = new();
    [Id(9)] public DateTimeOffset? HaltedUntil { get; set; }
    [Id(10)] public string? HaltReason { get; set; }
    [Id(11)] public bool OperatorHalt { get; set; }

    /// <summary>
    /// No longer used: books once recognised a re-sent order by the highest order number taken from its wallet, stored
    /// here and later as rows. Now by the trace it left (see OrderBookGrain). Kept so older headers still read.
    /// </summary>
    [Id(12)] public Dictionary<string, long> LastOrderNumberByOwner { get; set; } = new();

    /// <summary>Why an operator halted the whole exchange, while it is halted; kept apart from this book's own halt.</summary>
    [Id(13)] public string? MarketHaltReason { get; set; }

    /// <summary>Why the celebrity was delisted; once set, the book takes no order again.</summary>
    [Id(14)] public string? DelistReason { get; set; }

    /// <summary>Like <see cref="RestingOrders"/>: filled only when read from storage, empty in a stored header.</summary>
    [Id(15)] public List<StopOrderState> StopOrders { get; set; } = new();
}
