using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Fees;
using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Protection;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;

namespace Exchange.Grains.Grains;

/// <summary>
/// Translates messages to and from one <see cref="MatchingEngine"/>, enforces band and halts, and settles its outbox:
/// commission, both wallets, then the trade stream; an event leaves the outbox only when all acknowledged. Trades
/// reach the journal with the book write that makes them durable.
/// Reentrant so that orders arriving while the book is being written share the next write (group commit): every
/// method does its checks and its matching without awaiting, so interleaving happens only at the writes.
/// </summary>
[NewestSilosOnly]
[Reentrant]
public sealed class OrderBookGrain(
    IOrderBookStore store,
    [PersistentState("book", StorageNames.Exchange)] IPersistentState<OrderBookState> legacyBook,
    ITradeJournal journal,
    IOptions<ExchangeOptions> options,
    ExchangeClock time,
    TradingCalendar calendar,
    ExchangeMetrics metrics,
    SettlementBacklog backlog,
    ILogger<OrderBookGrain> logger) : MigratableGrain, IOrderBookGrain, IRemindable
{
    private const string DayEndReminder = "day-end";

    private readonly MatchingEngine _engine = new(trackChanges: true);
    private StateWriter? _writer;

    /// <summary>Version of the book in <see cref="IOrderBookStore"/> as of this activation's last write (0: none yet).</summary>
    private long _version;

    private SupersededStateRow<OrderBookState>? _legacyBook;

    /// <summary>
    /// Highest event number known to be in storage. Settlement delivers only events up to here: an event whose write
    /// failed must never reach a wallet, or a reloaded book would reuse its number for a different event.
    /// </summary>
    private long _durableSequence;

    /// <summary>
    /// Every trade up to this event number is known to be in the trade journal. Book writes carry the trades after it;
    /// settlement journals any still after it (those an earlier activation stored but may not have journalled).
    /// </summary>
    private long _journalledSequence;
    private readonly Dictionary<string, long> _engineIdByOrderId = new();

    /// <summary>
    /// Orders placed for the trading day only, by the order id their wallet knows (which a reprice keeps): cancelled
    /// when the day ends. May name orders that have left the book since; those are skipped.
    /// </summary>
    private readonly HashSet<string> _dayOrders = new(StringComparer.Ordinal);
    private bool _dayEndReminderRegistered;

    /// <summary>
    /// Highest order number this activation took from each wallet. Wallets send their orders in number order, so a
    /// copy of an order that arrives after its re-send was placed is recognised by its number even once it left no
    /// trace (see <see cref="HoldsTraceOf"/>). Memory only: an earlier activation's copies have expired by now.
    /// </summary>
    private readonly Dictionary<string, long> _lastOrderNumberByOwner = new(StringComparer.Ordinal);
    private FeePolicy _fees = FeePolicy.Default;
    private VolatilityHaltRule _volatility = VolatilityHaltRule.Default;
    private Task? _settling;
    private bool _settleAgain;
    private IGrainTimer? _retryTimer;
    private IGrainTimer? _reopeningTimer;
    private IGrainTimer? _callQuoteTimer;
    private bool _callQuoteDue;
    private BookBacklog? _backlog;

    private OrderBookState _working = null!;

    /// <summary>The live state; storage serializes it between two turns (see <see cref="WriteLatestAsync"/>).</summary>
    private OrderBookState State => _working;

    private string CelebrityId => this.GetPrimaryKeyString();

    /// <summary>Where this book's settled trades, and quotes after a change of trading state, are published.</summary>
    private IAsyncStream<TradeBatch> TradeStream =>
        this.GetStreamProvider(StreamNames.Provider).GetStream<TradeBatch>(StreamId.Create(StreamNames.Trades, CelebrityId));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // What the store does not hold as rows yet; the first write must carry it.
        bool restingOrdersToMove;
        if (await store.ReadAsync(CelebrityId, cancellationToken) is { } stored)
        {
            _version = stored.Version;
            _working = stored.State;
            restingOrdersToMove = false;
        }
        else
        {
            // Books written before the incremental store kept their whole state as one grain-state row.
            _legacyBook = new SupersededStateRow<OrderBookState>(legacyBook, logger);
            _working = _legacyBook.Take();
            restingOrdersToMove = _legacyBook.HoldsUnmovedState;
        }

        _writer = new StateWriter(WriteLatestAsync, afterFailedWrite: DeactivateOnIdle);
        _durableSequence = State.NextSequence - 1;
        _fees = new FeePolicy(options.Value.CommissionBasisPoints);
        _volatility = new VolatilityHaltRule(options.Value.VolatilityMaxMoveBasisPoints, options.Value.VolatilityWindow, options.Value.VolatilityHaltDuration);
        foreach (var resting in State.RestingOrders.OrderBy(order => order.Sequence))
        {
            _engine.Restore(new RestingOrderSnapshot(resting.EngineOrderId, resting.OwnerId, resting.OrderId, resting.Side,
                new Price(resting.PriceFen), new Seconds(resting.OriginalQuantity), new Seconds(resting.RemainingQuantity), resting.Sequence));
            _engineIdByOrderId[resting.OrderId] = resting.EngineOrderId;
            if (resting.GoodForDay)
            {
                _dayOrders.Add(resting.OrderId);
            }
        }

        foreach (var stop in State.StopOrders)
        {
            _engine.RestoreStop(stop.ToStopOrder());
            _engineIdByOrderId[stop.OrderId] = stop.EngineOrderId;
            if (stop.TimeInForce == TimeInForce.Day)
            {
                _dayOrders.Add(stop.OrderId);
            }
        }

        if (restingOrdersToMove)
        {
            _engine.MarkChanged(State.RestingOrders.Select(order => order.EngineOrderId));
        }

        // From here the engine holds the resting orders; the header is stored without them (and without the order
        // numbers older versions kept in it).
        State.RestingOrders = [];
        State.StopOrders = [];
        State.LastOrderNumberByOwner = [];

        if (State.HaltedUntil is { } haltedUntil && (haltedUntil > time.UtcNow || _engine.IsCrossed))
        {
            ScheduleReopening(haltedUntil - time.UtcNow);
        }

        _backlog = backlog.Track();
        _backlog.Added(State.Outbox.Count, time.UtcNow);
        if (State.Outbox.Count > 0)
        {
            ScheduleSettlement(TimeSpan.Zero);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A write still in flight must finish (or fail) before the next activation reads the state.
        try
        {
            await _writer!.SaveDeferredChangesAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not store {Celebrity}'s settled outbox on deactivation; it is settled again on activation", CelebrityId);
        }
        finally
        {
            if (_backlog is not null)
            {
                backlog.Untrack(_backlog);
            }
        }
    }

    public async Task Open(long referencePriceFen)
    {
        if (State.IsOpen || referencePriceFen <= 0)
        {
            return;
        }

        State.IsOpen = true;
        State.ReferencePriceFen = referencePriceFen;
        State.TradingDay = Today();

        // A book that opens while the whole exchange is halted was not among those the halt reached.
        State.MarketHaltReason ??= await GrainFactory.ByKey<IMarketStatusGrain>(IMarketStatusGrain.Key).GetHaltReason();
        await PersistAsync();
    }

    public async Task<BookPlacement> Submit(BookOrder order)
    {
        var placement = await PlaceAsync(order);
        (placement.Rejection is null ? metrics.OrdersAccepted : metrics.OrdersRejected).Add(1);
        return placement;
    }

    private async Task<BookPlacement> PlaceAsync(BookOrder order)
    {
        if (_lastOrderNumberByOwner.GetValueOrDefault(order.OwnerId) >= order.OrderNumber || HoldsTraceOf(order.OrderId))
        {
            // The first copy may still be on its way to storage: answer only once it is durable.
            await PersistAsync();
            return BookPlacement.AlreadyTaken;
        }

        if (!State.IsOpen)
        {
            return BookPlacement.Rejected(ErrorCodes.UnknownCelebrity, $"'{CelebrityId}' is not listed for trading.");
        }

        if (State.DelistReason is { } delisted)
        {
            return BookPlacement.Rejected(ErrorCodes.CelebrityDelisted, $"'{CelebrityId}' is delisted and no longer trades ({delisted}).");
        }

        var now = time.UtcNow;
        var changed = CatchUp(now);
        if (HaltAt(now) is { } halt && !(CollectsForAuction(now) && WaitsForAuction(order)))
        {
            var collecting = CollectsForAuction(now) ? " Until then it takes limit orders that rest (GTC or day), for the reopening auction, and stop orders." : "";
            return await RefuseAsync(BookPlacement.Rejected(ErrorCodes.MarketHalted, halt.Message + collecting), changed, now);
        }

        if (order.Quantity <= 0)
        {
            return await RefuseAsync(BookPlacement.Rejected(ErrorCodes.InvalidQuantity, "Quantity must be positive."), changed, now);
        }

        var band = CurrentBand();
        if (order.Type == OrderType.Limit && OutsideBand(band, order.LimitPriceFen) is { } outside)
        {
            return await RefuseAsync(outside, changed, now);
        }

        if (order.StopPriceFen != 0)
        {
            return await ArmAsync(order, changed, now);
        }

        _lastOrderNumberByOwner[order.OwnerId] = order.OrderNumber;
        return await MatchAndStoreAsync(
            new NewOrder(State.NextEngineOrderId++, order.OwnerId, order.Side, order.Type, order.TimeInForce, LimitNow(order.Type, order.Side, order.LimitPriceFen),
                new Seconds(order.Quantity), order.OrderId), now);
    }

    /// <summary>
    /// The price an arriving order may trade to: a limit order's own; a market order never trades outside the band,
    /// nor above what a market buy reserved (<paramref name="limitPriceFen"/>, 0 for no bound).
    /// </summary>
    private Price LimitNow(OrderType type, Side side, long limitPriceFen)
    {
        if (type == OrderType.Limit)
        {
            return new Price(limitPriceFen);
        }

        var band = CurrentBand();
        return side == Side.Buy
            ? new Price(Math.Min(band.Upper.FenPerSecond, limitPriceFen > 0 ? limitPriceFen : long.MaxValue))
            : band.Lower;
    }

    /// <summary>Holds a stop order off the book until a trade reaches its price (see <see cref="TriggerStops"/>).</summary>
    private async Task<BookPlacement> ArmAsync(BookOrder order, bool changed, DateTimeOffset now)
    {
        var lastPrice = new Price(State.LastPriceFen ?? State.ReferencePriceFen);
        if (order.StopPriceFen < 0)
        {
            return await RefuseAsync(BookPlacement.Rejected(ErrorCodes.InvalidPrice, "A stop price must be a positive number of fen per second."), changed, now);
        }

        if (StopRules.IsReached(order.Side, new Price(order.StopPriceFen), lastPrice))
        {
            var direction = order.Side == Side.Sell ? "below" : "above";
            return await RefuseAsync(BookPlacement.Rejected(ErrorCodes.StopAlreadyReached,
                $"A {order.Side.ToString().ToLowerInvariant()} stop must be {direction} the last price, {lastPrice.FenPerSecond} fen/s ({lastPrice.Yuan} CNY/s): "
                + $"at {order.StopPriceFen} fen/s it would trigger at once. Place a {(order.Type == OrderType.Limit ? "limit" : "market")} order instead."), changed, now);
        }

        _lastOrderNumberByOwner[order.OwnerId] = order.OrderNumber;
        var engineOrderId = State.NextEngineOrderId++;
        _engine.Arm(new NewOrder(engineOrderId, order.OwnerId, order.Side, order.Type, order.TimeInForce, new Price(order.LimitPriceFen),
            new Seconds(order.Quantity), order.OrderId), new Price(order.StopPriceFen));
        _engineIdByOrderId[order.OrderId] = engineOrderId;
        var forTheDay = order.TimeInForce == TimeInForce.Day;
        if (forTheDay)
        {
            _dayOrders.Add(order.OrderId);
        }

        await StoreAndSettleAsync(now);
        if (forTheDay)
        {
            await WatchForDayEndAsync(now);
        }

        return new BookPlacement(null, OrderStatus.Open, 0, order.Quantity, 0, [], false);
    }

    /// <summary>
    /// Matches an arriving (or repriced) order and the stop orders its trades trigger, records what they did in the
    /// outbox and stores it before answering.
    /// </summary>
    private async Task<BookPlacement> MatchAndStoreAsync(NewOrder order, DateTimeOffset now)
    {
        var report = new ExecutionReport();
        var fills = Match(order, report, now);
        var restsForTheDay = report.RestingQuantity.IsPositive && order.TimeInForce == TimeInForce.Day;
        if (fills.Count > 0)
        {
            restsForTheDay |= TriggerStops(now);
        }

        await StoreAndSettleAsync(now);
        if (restsForTheDay)
        {
            await WatchForDayEndAsync(now);
        }

        AnnounceCallSoon(now);
        return new BookPlacement(null, report.Status, report.FilledQuantity.Value, report.RestingQuantity.Value, report.CancelledQuantity.Value, fills, false);
    }

    /// <summary>
    /// Places the stop orders that trades have reached, one at a time, since each one's trades can reach more; not
    /// while the book is halted (a halt the trades caused included). A stop-limit order whose limit is outside today's
    /// band is cancelled. Whether any came to rest for the day.
    /// </summary>
    private bool TriggerStops(DateTimeOffset now)
    {
        var restsForTheDay = false;
        while (State.LastPriceFen is { } last && HaltAt(now) is null && _engine.TakeTriggered(new Price(last)) is { } stop)
        {
            metrics.StopsTriggered.Add(1);
            _engineIdByOrderId.Remove(stop.Reference);
            if (stop.Type == OrderType.Limit && !CurrentBand().Contains(stop.LimitPrice))
            {
                AddCancellation(stop.Reference, stop.Owner, stop.Quantity.Value);
                continue;
            }

            // Ahead of the order's fills, so that its wallet learns it is on the book before it hears what it traded.
            State.Outbox.Add(new BookEvent(State.NextSequence++, null, stop.Reference, stop.Owner, 0, StopTriggered: true));
            var report = new ExecutionReport();
            Match(stop.Triggered(State.NextEngineOrderId++, LimitNow(stop.Type, stop.Side, stop.LimitPrice.FenPerSecond)), report, now);
            restsForTheDay |= report.RestingQuantity.IsPositive && stop.TimeInForce == TimeInForce.Day;
        }

        return restsForTheDay;
    }

    /// <summary>Places one order on the engine and records what it did in the outbox and the book's maps.</summary>
    private List<ExecutedFill> Match(NewOrder order, ExecutionReport report, DateTimeOffset now)
    {
        if (CollectsForAuction(now))
        {
            _engine.Queue(order, report);
        }
        else
        {
            _engine.Place(order, report);
        }

        var fills = RecordTrades(report, now);

        if (report.CancelledQuantity.IsPositive)
        {
            AddCancellation(order.Reference, order.Owner, report.CancelledQuantity.Value);
        }

        if (report.RestingQuantity.IsPositive)
        {
            _engineIdByOrderId[order.Reference] = order.OrderId;
            if (order.TimeInForce == TimeInForce.Day)
            {
                _dayOrders.Add(order.Reference);
            }
        }

        return fills;
    }

    /// <summary>Records what matching did beyond the arriving order itself: its fills and the self-trades it cancelled.</summary>
    private List<ExecutedFill> RecordTrades(ExecutionReport report, DateTimeOffset now)
    {
        var fills = RecordFills(report, now);
        metrics.Trades.Add(fills.Count);
        foreach (var cancelled in report.SelfTradeCancellations)
        {
            _engineIdByOrderId.Remove(cancelled.Reference);
            AddCancellation(cancelled.Reference, cancelled.Owner, cancelled.CancelledQuantity.Value);
        }

        return fills;
    }

    /// <summary>
    /// Whether the book collects orders for a reopening auction now: during a volatility halt and nothing graver (an
    /// operator's or the whole exchange's halt, or a delisting, takes no orders at all).
    /// </summary>
    private bool CollectsForAuction(DateTimeOffset now) =>
        State.DelistReason is null && State.MarketHaltReason is null && !State.OperatorHalt && State.HaltedUntil is { } until && until > now;

    /// <summary>
    /// What a call takes: limit orders that rest, which its auction trades, and stop orders, which wait off the book as
    /// they always do (a fan wants a stop-loss most while the price is in question); market, IOC and FOK orders have
    /// nothing to trade with until it ends.
    /// </summary>
    private static bool WaitsForAuction(BookOrder order) =>
        order.StopPriceFen != 0 || (order.Type == OrderType.Limit && order.TimeInForce.Rests());

    /// <summary>
    /// Brings the book up to now before anything else touches it: a new trading day, then a reopening auction that
    /// fell due. Whether either changed anything that must be stored.
    /// </summary>
    private bool CatchUp(DateTimeOffset now) => RollTradingDay(now) | Reopen(now);

    /// <summary>
    /// Ends a call: once no halt is in force, the orders collected during it that cross trade at one auction price
    /// (nearest the last trade among equals), then the stops those trades reached trigger. Whether it traded or
    /// cancelled anything.
    /// </summary>
    private bool Reopen(DateTimeOffset now)
    {
        if (!_engine.IsCrossed || HaltAt(now) is not null)
        {
            return false;
        }

        var report = new ExecutionReport();
        var price = _engine.Uncross(new Price(State.LastPriceFen ?? State.ReferencePriceFen), CurrentBand(), report);
        if (report.Fills.Count == 0 && report.SelfTradeCancellations.Count == 0)
        {
            // What still crosses rested from an earlier day's band and can trade only outside today's.
            return false;
        }

        RecordTrades(report, now);

        // An auction's taker waited on the book too (an arriving order's taker has no place in the map to forget).
        foreach (var fill in report.Fills)
        {
            if (!_engine.Contains(fill.TakerOrderId))
            {
                _engineIdByOrderId.Remove(fill.TakerReference);
            }
        }

        metrics.Auctions.Add(1);
        logger.LogInformation("Reopened {Celebrity} with an auction: {Quantity} s at {Price}", CelebrityId, report.FilledQuantity.Value, price);
        if (report.Fills.Count > 0)
        {
            // A stop for the day that comes to rest here has had its day-end reminder since it was armed.
            TriggerStops(now);
        }

        return true;
    }

    private static BookPlacement? OutsideBand(PriceBand band, long limitPriceFen) =>
        band.Contains(new Price(limitPriceFen))
            ? null
            : BookPlacement.Rejected(ErrorCodes.PriceOutsideBand,
                $"Price {limitPriceFen} fen/s ({new Price(limitPriceFen).Yuan} CNY/s) is outside today's band "
                + $"{band.Lower.FenPerSecond}..{band.Upper.FenPerSecond} fen/s ({band.Lower.Yuan}-{band.Upper.Yuan} CNY/s).");

    public async Task<ExchangeError?> Cancel(string orderId, string ownerId)
    {
        await CatchUpAsync();
        if (FindOwn(orderId, ownerId, out var engineOrderId, out _) is { } refusal)
        {
            return refusal;
        }

        CancelResting(orderId, engineOrderId);
        await StoreAndSettleAsync(time.UtcNow);
        AnnounceCallSoon(time.UtcNow);
        return null;
    }

    public async Task<BookReduction> Reduce(string orderId, string ownerId, long remainingQuantity)
    {
        if (remainingQuantity < 1)
        {
            return new BookReduction(0, new ExchangeError(ErrorCodes.InvalidQuantity, "An order keeps at least 1 s; cancel it to remove it."));
        }

        await CatchUpAsync();
        if (FindOwn(orderId, ownerId, out var engineOrderId, out var left) is { } refusal)
        {
            return new BookReduction(0, refusal);
        }

        var reduceBy = left - remainingQuantity;
        if (reduceBy <= 0)
        {
            return new BookReduction(0, null);
        }

        var reduced = _engine.Reduce(engineOrderId, new Seconds(reduceBy))!.Value;
        AddCancellation(orderId, reduced.Owner, reduced.CancelledQuantity.Value);
        await StoreAndSettleAsync(time.UtcNow);
        AnnounceCallSoon(time.UtcNow);
        return new BookReduction(reduceBy, null);
    }

    public async Task<BookPlacement> Reprice(string orderId, string ownerId, long limitPriceFen)
    {
        // First, so that an order the day's end expired, or the reopening auction filled, is not put back on the book at its new price.
        var now = time.UtcNow;
        var changed = CatchUp(now);
        if (FindOwn(orderId, ownerId, out var engineOrderId, out _) is { } refusal)
        {
            return await RefuseAsync(BookPlacement.Rejected(refusal.Code, refusal.Message), changed, now);
        }

        if (_engine.Find(engineOrderId) is not { } resting)
        {
            return await RefuseAsync(BookPlacement.Rejected(ErrorCodes.StopNotTriggered,
                "The order waits off the book for its stop price, so it has no place in the queue to reprice yet: cancel it and place another."), changed, now);
        }

        if (resting.Price.FenPerSecond == limitPriceFen)
        {
            // Already processed: no event follows, which the wallet needs to know to stop expecting one.
            return await RefuseAsync(new BookPlacement(null, OrderStatus.Open, 0, resting.RemainingQuantity.Value, 0, [], AlreadyProcessed: true), changed, now);
        }

        if (HaltAt(now) is { } halt && !CollectsForAuction(now))
        {
            return await RefuseAsync(BookPlacement.Rejected(ErrorCodes.MarketHalted, halt.Message), changed, now);
        }

        if (OutsideBand(CurrentBand(), limitPriceFen) is { } outside)
        {
            return await RefuseAsync(outside, changed, now);
        }

        // Out and back in under a new engine number: the engine's time priority is arrival order, and the order id
        // the wallet knows stays the reference its fills and cancellations carry. The wallet takes the new price from
        // the outbox, ahead of any fill at it, so it learns it even if this answer is lost.
        _engine.Cancel(engineOrderId);
        _engineIdByOrderId.Remove(orderId);
        State.Outbox.Add(new BookEvent(State.NextSequence++, null, orderId, ownerId, 0, limitPriceFen));
        return await MatchAndStoreAsync(
            new NewOrder(State.NextEngineOrderId++, ownerId, resting.Side, OrderType.Limit, _dayOrders.Contains(orderId) ? TimeInForce.Day : TimeInForce.GoodTillCancel,
                new Price(limitPriceFen), resting.RemainingQuantity, orderId),
            now);
    }

    /// <summary>A resting or stop order of <paramref name="ownerId"/>'s, with the seconds it has <paramref name="left"/> to trade.</summary>
    private ExchangeError? FindOwn(string orderId, string ownerId, out long engineOrderId, out long left)
    {
        left = 0;
        string owner;
        if (!_engineIdByOrderId.TryGetValue(orderId, out engineOrderId))
        {
            return new ExchangeError(ErrorCodes.UnknownOrder, $"Order '{orderId}' is not on the book.");
        }

        if (_engine.Find(engineOrderId) is { } resting)
        {
            (owner, left) = (resting.Owner, resting.RemainingQuantity.Value);
        }
        else if (_engine.FindStop(engineOrderId) is { } stop)
        {
            (owner, left) = (stop.Owner, stop.Quantity.Value);
        }
        else
        {
            return new ExchangeError(ErrorCodes.UnknownOrder, $"Order '{orderId}' is not on the book.");
        }

        return owner == ownerId ? null : new ExchangeError(ErrorCodes.NotYourOrder, "That order belongs to another account.");
    }

    /// <summary>Takes a resting or stop order off the book; its owner learns of it, and gets its reservation back, through settlement.</summary>
    private void CancelResting(string orderId, long engineOrderId)
    {
        var cancelled = _engine.Cancel(engineOrderId)!.Value;
        _engineIdByOrderId.Remove(orderId);
        AddCancellation(orderId, cancelled.Owner, cancelled.CancelledQuantity.Value);
    }

    /// <summary>Makes new outbox events durable, then delivers them at once.</summary>
    private async Task StoreAndSettleAsync(DateTimeOffset now)
    {
        _backlog!.Added(State.Outbox.Count, now);
        await PersistAsync();
        ScheduleSettlement(TimeSpan.Zero);
    }

    public Task<MarketQuote> GetQuote() => IsBehind() ? AfterCatchUpAsync(Quote) : Task.FromResult(Quote());

    public Task<BookDepth> GetDepth(int levels)
    {
        levels = Math.Clamp(levels, 1, 100);
        static List<DepthEntry> ToEntries(List<DepthLevel> depth) => depth.Select(level => new DepthEntry(level.Price.FenPerSecond, level.Quantity.Value, level.OrderCount)).ToList();
        BookDepth Depth() => new(Quote(), ToEntries(_engine.Depth(Side.Buy, levels)), ToEntries(_engine.Depth(Side.Sell, levels)));
        return IsBehind() ? AfterCatchUpAsync(Depth) : Task.FromResult(Depth());
    }

    /// <summary>Whether a trading day ended or a reopening auction fell due since the book last caught up.</summary>
    private bool IsBehind() => State.IsOpen && (Today() != State.TradingDay || (_engine.IsCrossed && HaltAt(time.UtcNow) is null));

    /// <summary>
    /// A read after the trading day ended starts the new one first, as an order would: otherwise it would show
    /// yesterday's band (a market buy reserves by it) and orders for the day that can no longer trade, until the book's
    /// next order or its day-end reminder. Likewise it runs a reopening auction that fell due, rather than show a
    /// crossed book as open.
    /// </summary>
    private async Task<T> AfterCatchUpAsync<T>(Func<T> read)
    {
        await CatchUpAsync();
        return read();
    }

    private async Task CatchUpAsync()
    {
        var now = time.UtcNow;
        if (CatchUp(now))
        {
            await StoreAndSettleAsync(now);
        }
    }

    public async Task Halt(string reason)
    {
        State.OperatorHalt = true;
        metrics.Halts.Add(1);
        State.HaltReason = string.IsNullOrWhiteSpace(reason) ? "halted by an operator" : reason;
        await PersistAsync();
        await AnnounceQuoteAsync();
    }

    public async Task Resume()
    {
        State.OperatorHalt = false;
        State.HaltedUntil = null;
        State.HaltReason = null;
        Reopen(time.UtcNow);
        await StoreAndSettleAsync(time.UtcNow);
        await AnnounceQuoteAsync();
    }

    public async Task<int> Delist(string reason)
    {
        if (State.DelistReason is not null && _engineIdByOrderId.Count == 0)
        {
            return 0; // delisted already: nothing to cancel, nothing to write
        }

        State.DelistReason ??= reason;
        var resting = _engineIdByOrderId.ToList();
        foreach (var (orderId, engineOrderId) in resting)
        {
            CancelResting(orderId, engineOrderId);
        }

        await StoreAndSettleAsync(time.UtcNow);
        logger.LogWarning("{Celebrity} delisted ({Reason}): {Orders} resting orders cancelled", CelebrityId, State.DelistReason, resting.Count);
        await AnnounceQuoteAsync();
        return resting.Count;
    }

    public async Task Relist()
    {
        if (State.DelistReason is not null)
        {
            State.DelistReason = null;
            await PersistAsync();
            logger.LogWarning("{Celebrity} relisted", CelebrityId);
            await AnnounceQuoteAsync();
        }
    }

    public async Task HaltMarket(string reason)
    {
        State.MarketHaltReason = reason;
        await PersistAsync();
        await AnnounceQuoteAsync();
    }

    public async Task ResumeMarket()
    {
        if (State.MarketHaltReason is not null)
        {
            State.MarketHaltReason = null;
            Reopen(time.UtcNow);
            await StoreAndSettleAsync(time.UtcNow);
            await AnnounceQuoteAsync();
        }
    }

    /// <summary>
    /// The live feed sends a quote with each batch of trades; a halt, a resume or a delisting trades nothing, so
    /// watchers would not learn of it until the next trade (never, while halted). An empty batch carries just the
    /// quote. Best effort: the change is stored, and a watcher that misses this sees it on its next load.
    /// </summary>
    private async Task AnnounceQuoteAsync()
    {
        try
        {
            await TradeStream.OnNextAsync(new TradeBatch(CelebrityId, []));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not announce the new trading state of {Celebrity} on the live feed", CelebrityId);
        }
    }

    public async Task<SettlementStatus> FlushSettlements()
    {
        if (State.Outbox.Count > 0)
        {
            if (State.Outbox[^1].Sequence > _durableSequence)
            {
                await PersistAsync();
            }

            ScheduleSettlement(TimeSpan.Zero);
            if (_settling is { } running)
            {
                await running;
            }
        }

        return new SettlementStatus(State.Outbox.Count, State.NextSequence - 1);
    }

    private List<ExecutedFill> RecordFills(ExecutionReport report, DateTimeOffset now)
    {
        var fills = new List<ExecutedFill>(report.Fills.Count);
        var before = State.RecentPrices.Select(point => new PricePoint(point.Time, new Price(point.PriceFen))).ToList();
        foreach (var fill in report.Fills)
        {
            var settlement = _fees.Settle(fill.Price, fill.Quantity);
            var sequence = State.NextSequence++;
            var trade = new TradeRecord($"{CelebrityId}:{sequence}", CelebrityId, sequence, fill.Buyer, fill.Seller, fill.BuyReference, fill.SellReference,
                fill.Price.FenPerSecond, fill.Quantity.Value, settlement.BuyerPays.Fen, settlement.Commission.Fen, now);
            State.Outbox.Add(new BookEvent(sequence, trade, null, null, 0));
            fills.Add(new ExecutedFill(trade.TradeId, trade.PriceFen, trade.Quantity));
            if (!_engine.Contains(fill.MakerOrderId))
            {
                _engineIdByOrderId.Remove(fill.MakerReference);
            }
        }

        if (report.Fills.Count > 0)
        {
            var last = report.Fills[^1].Price;
            State.LastPriceFen = last.FenPerSecond;
            var recent = new List<PricePoint>(before);
            foreach (var fill in report.Fills)
            {
                _volatility.Record(recent, new PricePoint(now, fill.Price));
            }

            State.RecentPrices = recent.Select(point => new PricePointState { Time = point.Time, PriceFen = point.Price.FenPerSecond }).ToList();
            if (_volatility.Evaluate(before, new PricePoint(now, last)) is { } haltUntil)
            {
                State.HaltedUntil = haltUntil;
                ScheduleReopening(haltUntil - now);
                metrics.Halts.Add(1);
                State.HaltReason = $"volatility: price moved more than {_volatility.MaxMoveBasisPoints / 100.0:0.##}% within {_volatility.Window.TotalMinutes:0.#} min";
                logger.LogWarning("Halting {Celebrity} until {Until}: {Reason}", CelebrityId, haltUntil, State.HaltReason);
            }
        }

        return fills;
    }

    /// <summary>
    /// Whether the book took this order before: every order it takes rests, or leaves events in the outbox until its
    /// wallet has applied them. A wallet re-sends only an order it has no events for (see WalletGrain.SubmitAsync), so
    /// an order with no trace here was never taken. Events stay in stored outboxes until a later write trims them, so
    /// this holds after a restart too.
    /// </summary>
    private bool HoldsTraceOf(string orderId) =>
        _engineIdByOrderId.ContainsKey(orderId)
        || State.Outbox.Exists(e => e.Trade is { } trade ? trade.BuyOrderId == orderId || trade.SellOrderId == orderId : e.CancelledOrderId == orderId);

    private void AddCancellation(string orderId, string ownerId, long quantity) =>
        State.Outbox.Add(new BookEvent(State.NextSequence++, null, orderId, ownerId, quantity));

    private MarketQuote Quote()
    {
        var now = time.UtcNow;
        var band = State.IsOpen ? CurrentBand() : default;
        var halt = State.IsOpen ? HaltAt(now) : null;
        var call = State.IsOpen && CollectsForAuction(now);
        var auction = call ? _engine.IndicativeAuction(new Price(State.LastPriceFen ?? State.ReferencePriceFen), band) : null;
        return new MarketQuote(CelebrityId, State.IsOpen, State.ReferencePriceFen, band.Lower.FenPerSecond, band.Upper.FenPerSecond,
            State.LastPriceFen, _engine.BestBid?.FenPerSecond, _engine.BestAsk?.FenPerSecond, halt?.Until, halt?.Reason, State.DelistReason is not null,
            call, auction?.Price.FenPerSecond, auction?.Quantity.Value ?? 0);
    }

    private PriceBand CurrentBand() => PriceBand.Around(new Price(State.ReferencePriceFen), options.Value.PriceBandBasisPoints);

    /// <summary>Whether trading is halted now, until when and why: the whole exchange first, then this book.</summary>
    private (DateTimeOffset Until, string Reason, string Message)? HaltAt(DateTimeOffset now)
    {
        if (State.DelistReason is { } delisted)
        {
            return (DateTimeOffset.MaxValue, "delisted: " + delisted, $"'{CelebrityId}' is delisted and no longer trades ({delisted}).");
        }

        if (State.MarketHaltReason is { } market)
        {
            return (DateTimeOffset.MaxValue, market, $"Trading on the whole exchange is halted: {market}.");
        }

        if (State.OperatorHalt)
        {
            return (DateTimeOffset.MaxValue, State.HaltReason ?? "", $"Trading in '{CelebrityId}' is halted: {State.HaltReason}.");
        }

        return State.HaltedUntil is { } until && until > now
            ? (until, State.HaltReason ?? "", $"Trading in '{CelebrityId}' is halted until {until:u} ({State.HaltReason}).")
            : null;
    }

    private DateOnly Today() => calendar.DayOf(time.UtcNow);

    /// <summary>
    /// Starts a new trading day if one began (on the day's first order, reprice or day-end reminder): the previous close
    /// becomes the band's reference, and orders for the day are cancelled. Whether any were.
    /// </summary>
    private bool RollTradingDay(DateTimeOffset now)
    {
        var today = calendar.DayOf(now);
        if (today == State.TradingDay)
        {
            return false;
        }

        State.ReferencePriceFen = State.LastPriceFen ?? State.ReferencePriceFen;
        State.TradingDay = today;
        var expired = 0;
        foreach (var orderId in _dayOrders)
        {
            if (_engineIdByOrderId.TryGetValue(orderId, out var engineOrderId))
            {
                CancelResting(orderId, engineOrderId);
                expired++;
            }
        }

        _dayOrders.Clear();
        if (expired > 0)
        {
            metrics.OrdersExpired.Add(expired);
        }

        return expired > 0;
    }

    /// <summary>
    /// A refusal that follows catching up (<see cref="CatchUp"/>): what a day's end expired or an auction traded must be
    /// stored (and settled) like any other change.
    /// </summary>
    private async Task<BookPlacement> RefuseAsync(BookPlacement refusal, bool afterChanges, DateTimeOffset now)
    {
        if (afterChanges)
        {
            await StoreAndSettleAsync(now);
        }

        return refusal;
    }

    /// <summary>
    /// A reminder wakes the book when the trading day ends, so orders for the day are cancelled then, and their
    /// reservations returned, even if nobody trades in it (it survives the book's deactivation and silo restarts).
    /// Its period catches a day whose start moved (a change of clocks) or a tick that came early.
    /// </summary>
    private async Task WatchForDayEndAsync(DateTimeOffset now)
    {
        if (_dayEndReminderRegistered)
        {
            return;
        }

        try
        {
            await this.RegisterOrUpdateReminder(DayEndReminder, calendar.StartOfNextDay(now) - now + TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
            _dayEndReminderRegistered = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The order is placed and stored by now; without the reminder its expiry waits for the book's next order,
            // which still cancels it before anything trades on the new day.
            logger.LogWarning(exception, "Could not register {Celebrity}'s day-end reminder; its orders for the day expire with its next order instead", CelebrityId);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = time.UtcNow;
        if (CatchUp(now))
        {
            await StoreAndSettleAsync(now);
        }

        _dayOrders.RemoveWhere(orderId => !_engineIdByOrderId.ContainsKey(orderId));
        if (_dayOrders.Count > 0)
        {
            // Registered by an earlier activation: due again at the next day's start rather than every hour.
            await WatchForDayEndAsync(now);
        }
        else
        {
            _dayEndReminderRegistered = false;
            if (await this.GetReminder(DayEndReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            // An order for the day may have come to rest while this awaited (the book is reentrant).
            if (_dayOrders.Count > 0)
            {
                await WatchForDayEndAsync(time.UtcNow);
            }
        }
    }

    /// <summary>
    /// Wakes the book when its volatility halt ends, so that the auction runs and watchers learn trading resumed even if
    /// nobody calls the book then. Keeps the book active till then; an activation after a crash schedules it again.
    /// </summary>
    private void ScheduleReopening(TimeSpan delay)
    {
        delay = delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        if (_reopeningTimer is null)
        {
            _reopeningTimer = this.RegisterGrainTimer(ReopenWhenDueAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _reopeningTimer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// While the book collects for an auction nothing trades, so the live feed would show the price the auction is
    /// heading for only when it ends: each change to the call is announced, at most one quote a second.
    /// </summary>
    private void AnnounceCallSoon(DateTimeOffset now)
    {
        if (_callQuoteDue || !CollectsForAuction(now))
        {
            return;
        }

        _callQuoteDue = true;
        _callQuoteTimer ??= this.RegisterGrainTimer(_ =>
        {
            _callQuoteDue = false;
            return AnnounceQuoteAsync();
        }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
        _callQuoteTimer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
    }

    private async Task ReopenWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = time.UtcNow;
        if (CollectsForAuction(now))
        {
            // Woken early (the halt was extended, or clocks disagree): not before the halt's end, nor in a busy loop.
            ScheduleReopening(TimeSpan.FromTicks(Math.Max((State.HaltedUntil!.Value - now).Ticks, TimeSpan.TicksPerSecond)));
            return;
        }

        // An operator's or the whole exchange's halt reopens with its resume instead.
        await CatchUpAsync();
        await AnnounceQuoteAsync();
    }

    private void ScheduleSettlement(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            _retryTimer?.Dispose();
            _retryTimer = this.RegisterGrainTimer(_ =>
            {
                ScheduleSettlement(TimeSpan.Zero);
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true });
            return;
        }

        if (_settling is { IsCompleted: false })
        {
            _settleAgain = true;
            return;
        }

        _settling = SettleLoopAsync();
    }

    /// <summary>
    /// Runs beside new orders (it interleaves at its awaits), so matching never waits for settlement. Every step is
    /// idempotent, which is what makes retrying the whole outbox after any failure safe.
    /// </summary>
    private async Task SettleLoopAsync()
    {
        try
        {
            do
            {
                _settleAgain = false;
                while (State.Outbox.Count > 0 && State.Outbox[0].Sequence <= _durableSequence)
                {
                    var batch = State.Outbox.TakeWhile(e => e.Sequence <= _durableSequence).ToList();
                    var trades = batch.Where(e => e.Trade is not null).Select(e => e.Trade!).ToList();
                    await JournalAsync(trades);
                    if (trades.Count > 0)
                    {
                        await GrainFactory.ByKey<ICommissionGrain>(ICommissionGrain.Key).Credit(CelebrityId, trades);
                    }

                    var byAccount = batch
                        .SelectMany(e => e.AccountsConcerned().Distinct().Select(account => (account, e)))
                        .GroupBy(pair => pair.account, pair => pair.e);
                    var deliveries = byAccount.Select(group => GrainFactory.ByKey<IWalletGrain>(group.Key).ApplyBookEvents(CelebrityId, group.ToList())).ToList();
                    metrics.SettlementBatches.Add(1);
                    metrics.WalletDeliveries.Add(deliveries.Count);
                    await Task.WhenAll(deliveries);

                    if (trades.Count > 0)
                    {
                        await TradeStream.OnNextAsync(new TradeBatch(CelebrityId, trades));
                    }

                    // Only appends happen while this loop awaits, so the settled events are still the prefix.
                    State.Outbox.RemoveRange(0, batch.Count);
                    var settledAt = time.UtcNow;
                    _backlog!.Settled(State.Outbox.Count, settledAt);
                    foreach (var trade in trades)
                    {
                        metrics.SettlementLag.Record((settledAt - trade.ExecutedAt).TotalMilliseconds);
                    }

                    // Settled events need no write of their own: every step is idempotent, so if storage still holds
                    // them after a crash they are just delivered again. The next order's write trims them.
                    _writer!.Defer();
                }
            }
            while (_settleAgain);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Settlement of {Celebrity} failed with {Pending} events pending; retrying", CelebrityId, State.Outbox.Count);
            ScheduleSettlement(options.Value.SettlementRetryDelay);
        }
    }

    /// <summary>Appends the trades a book write has not journalled (normally none: writes carry them).</summary>
    private async Task JournalAsync(List<TradeRecord> trades)
    {
        var unjournalled = trades.Where(trade => trade.Sequence > _journalledSequence).ToList();
        if (unjournalled.Count > 0)
        {
            await journal.AppendAsync(unjournalled);
            _journalledSequence = Math.Max(_journalledSequence, unjournalled[^1].Sequence);
        }
    }

    /// <summary>Trades in the outbox after <see cref="_journalledSequence"/>, oldest first.</summary>
    private List<TradeRecord> UnjournalledTrades()
    {
        var trades = new List<TradeRecord>();
        for (var i = State.Outbox.Count - 1; i >= 0 && State.Outbox[i].Sequence > _journalledSequence; i--)
        {
            if (State.Outbox[i].Trade is { } trade)
            {
                trades.Add(trade);
            }
        }

        trades.Reverse();
        return trades;
    }

    /// <summary>
    /// Takes what to store synchronously, between two turns (the book goes on changing while the write is in flight):
    /// the header, the resting orders changed since the last successful write, and the trades not yet journalled.
    /// </summary>
    private Task WriteLatestAsync()
    {
        var sequence = State.NextSequence - 1;
        var changed = _engine.TakeChangedOrderIds();
        var upserts = new List<RestingOrderState>();
        var stopUpserts = new List<StopOrderState>();
        var removals = new List<long>();
        foreach (var engineOrderId in changed)
        {
            if (_engine.Find(engineOrderId) is { } order)
            {
                upserts.Add(new RestingOrderState
                {
                    EngineOrderId = order.OrderId,
                    OrderId = order.Reference,
                    OwnerId = order.Owner,
                    Side = order.Side,
                    PriceFen = order.Price.FenPerSecond,
                    OriginalQuantity = order.OriginalQuantity.Value,
                    RemainingQuantity = order.RemainingQuantity.Value,
                    Sequence = order.Sequence,
                    GoodForDay = _dayOrders.Contains(order.Reference),
                });
            }
            else if (_engine.FindStop(engineOrderId) is { } stop)
            {
                stopUpserts.Add(StopOrderState.Of(stop));
            }
            else
            {
                removals.Add(engineOrderId);
            }
        }

        // The store serializes the header before it returns (see IOrderBookStore.WriteAsync): no copy needed.
        return StoreAsync(new OrderBookChanges(_working, upserts, removals, UnjournalledTrades()) { StopUpserts = stopUpserts }, changed, sequence);
    }

    private async Task StoreAsync(OrderBookChanges changes, HashSet<long> changed, long sequence)
    {
        try
        {
            _version = await store.WriteAsync(CelebrityId, _version, changes);
        }
        catch
        {
            // Whether or not it landed, these orders are not known to be stored: the next write must carry them.
            _engine.MarkChanged(changed);
            throw;
        }

        // Every trade up to the write's last event was in the outbox or already journalled when the write was taken.
        _durableSequence = Math.Max(_durableSequence, sequence);
        _journalledSequence = Math.Max(_journalledSequence, sequence);
        if (_legacyBook is not null)
        {
            await _legacyBook.SupersededAsync($"{CelebrityId}'s book");
        }
    }

    private Task PersistAsync() => _writer!.WriteAsync();
}
