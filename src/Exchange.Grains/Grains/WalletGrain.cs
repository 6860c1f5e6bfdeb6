using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Orders;
using Exchange.Domain.Redemption;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class WalletGrain(
    IVersionedStateStore store,
    [PersistentState("wallet", StorageNames.Exchange)] IPersistentState<WalletState> legacyWallet,
    IExchangeDirectory directory,
    IOptions<ExchangeOptions> options,
    ExchangeClock time,
    Orleans.Serialization.Serializer serializer,
    ILogger<WalletGrain> logger) : MigratableGrain, IWalletGrain
{
    private WalletState _working = null!;
    private StateWriter _writer = null!;

    private WalletPersistence _storage = null!;
    private DateTimeOffset _clientOrderIdsForgottenAt = DateTimeOffset.MinValue;

    /// <summary>
    /// False only while no open order can be waiting for its book's answer ("Submitting"): saves looking through every
    /// open order on each placement. Set before an order is sent, cleared once it and any earlier one have answers.
    /// </summary>
    private bool _ordersMayAwaitBook;

    /// <summary>Live feeds watching this account; null until the first one, so unwatched wallets pay nothing.</summary>
    private ObserverManager<IAccountObserver>? _watchers;

    /// <summary>The live state; storage only ever sees serialized snapshots of it (see <see cref="WalletPersistence"/>).</summary>
    private WalletState State => _working;

    private string AccountId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Wallets written before the batched store kept their state in Orleans' grain storage (legacyWallet).
        _storage = new WalletPersistence(store, serializer, AccountId, legacyWallet, logger, options.Value.VerifyWalletChangeTracking);
        _working = await _storage.ReadAsync(cancellationToken);
        _working.NumberClosedOrders();

        // After a failed write memory may hold changes storage does not: reload from storage once idle. Until then
        // every answer from memory waits for a write first (see FlushAsync).
        _writer = new StateWriter(() => _storage.WriteAsync(_working), afterFailedWrite: DeactivateOnIdle);
        _working.MigrateClientOrderIds(time.UtcNow);

        if (State.Withdrawals.Values.Any(Unlisted))
        {
            this.RegisterGrainTimer(ListUnlistedWithdrawalsAsync, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        _ordersMayAwaitBook = State.OpenOrders.Values.Any(order => order.State == OrderState.Submitting);
        if (_ordersMayAwaitBook)
        {
            // A crash came between reserving and hearing back from the book. Ask again from a timer: calling the book
            // from activation could wait on a book that is itself waiting on this wallet.
            this.RegisterGrainTimer(ResubmitPendingAsync, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A write still in flight must finish (or fail) before the next activation reads the state.
        try
        {
            await _writer.SaveDeferredChangesAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not store {Account}'s last order answers on deactivation; they are re-sent on activation", AccountId);
        }
    }

    public async Task<TransferResult> Deposit(string idempotencyKey, long amountFen)
    {
        await FlushAsync();
        if (Invalid(idempotencyKey, amountFen) is { } refused)
        {
            return refused;
        }

        if (State.ProcessedTransfers.Contains(idempotencyKey))
        {
            return Repeated(idempotencyKey, amountFen, moved => MovedBefore(idempotencyKey, moved));
        }

        if (amountFen > long.MaxValue - State.CashAvailable - State.CashReserved)
        {
            return TransferResult.Refused(ErrorCodes.InvalidAmount, "The deposit would overflow the balance.");
        }

        State.CashAvailable += amountFen;
        State.TotalDepositedFen = checked(State.TotalDepositedFen + amountFen);
        State.RecordProcessedTransfer(idempotencyKey, amountFen);
        await PersistAsync();
        AnnounceBalances();
        return TransferResult.Done;
    }

    public async Task<TransferResult> Withdraw(string idempotencyKey, long amountFen)
    {
        await FlushAsync();
        if (Invalid(idempotencyKey, amountFen) is { } refused)
        {
            return refused;
        }

        if (State.ProcessedTransfers.Contains(idempotencyKey))
        {
            return Repeated(idempotencyKey, -amountFen, moved => MovedBefore(idempotencyKey, moved));
        }

        if (amountFen > State.CashAvailable)
        {
            return TransferResult.Refused(ErrorCodes.InsufficientFunds, $"Only {new Cash(State.CashAvailable)} ({State.CashAvailable} fen) are available to withdraw.");
        }

        State.CashAvailable -= amountFen;
        State.TotalWithdrawnFen = checked(State.TotalWithdrawnFen + amountFen);
        State.RecordProcessedTransfer(idempotencyKey, -amountFen);
        await PersistAsync();
        AnnounceBalances();
        return TransferResult.Done;
    }

    public async Task<OrderResult> PlaceOrder(PlaceOrderCommand command)
    {
        await FlushAsync();
        if (string.IsNullOrWhiteSpace(command.ClientOrderId) || command.ClientOrderId.Length > 64)
        {
            return OrderResult.Refused(ErrorCodes.InvalidRequest, "A client order id of 1 to 64 characters is required.");
        }

        ForgetOldClientOrderIds();
        if (State.ClientOrders.TryGetValue(command.ClientOrderId, out var remembered))
        {
            if (State.FindOrder(remembered.OrderId) is not { } existing)
            {
                return OrderResult.Refused(ErrorCodes.DuplicateRequest, $"Client order id '{command.ClientOrderId}' was already used.");
            }

            // Answering a different order with the first one would let a client believe the new one was placed.
            return existing.IsPlacedBy(command)
                ? new OrderResult(existing.ToView(), null, existing.InitialFills, WasReplay: true)
                : OrderResult.Refused(ErrorCodes.DuplicateRequest,
                    $"Client order id '{command.ClientOrderId}' was already used for another order ({existing.OrderId}); a retry must repeat the order exactly.");
        }

        if (Suspended() is { } suspended)
        {
            return OrderResult.Refused(suspended.Code, suspended.Message);
        }

        if (_ordersMayAwaitBook)
        {
            // Orders must reach the books in number order: a book takes an order numbered no higher than the last one
            // it took from this wallet for a copy of one it already has.
            await ResubmitPendingAsync(CancellationToken.None);
        }

        var order = await ValidateAndPriceAsync(command);
        if (order.Error is not null)
        {
            return OrderResult.Refused(order.Error.Code, order.Error.Message);
        }

        var pending = order.Order!;
        State.Reserve(pending);
        State.LastOrderNumber = pending.OrderNumber;
        _ordersMayAwaitBook = true;
        await PersistAsync();

        BookPlacement placement;
        try
        {
            placement = await SubmitAsync(pending);
        }
        catch
        {
            // The book may or may not have taken it; the reservation stays until the book answers a re-send.
            this.RegisterGrainTimer(ResubmitPendingAsync, options.Value.SettlementRetryDelay, Timeout.InfiniteTimeSpan);
            throw;
        }

        // Any earlier order was re-sent above, and this one has its answer.
        _ordersMayAwaitBook = false;

        var result = placement.Rejection is { } rejection
            ? new OrderResult(null, rejection, [], false)
            : new OrderResult(ViewFromPlacement(pending, placement), null, placement.Fills, false);
        Announce(result.Order is { } placed ? [placed] : [pending.ToView()], [], [pending.CelebrityId]);
        return result;
    }

    public async Task<OrderResult> CancelOrder(string orderId)
    {
        if (OpenOrderOrRefusal(orderId, out var order) is { } refusal)
        {
            return refusal;
        }

        var error = await GrainFactory.ByKey<IOrderBookGrain>(order.CelebrityId).Cancel(orderId, AccountId);
        if (error is not null)
        {
            // Already traded or cancelled on the book; its final events are on their way to this wallet.
            return OrderResult.Refused(ErrorCodes.OrderNotOpen, "The order is no longer on the book.");
        }

        // The release itself arrives as a book event; report the order as the fan will shortly see it.
        var view = order.ToView() with { CancelledQuantity = order.Quantity - order.FilledQuantity, State = OrderState.Cancelled };
        return new OrderResult(view, null, [], false);
    }

    public async Task<OrderResult> ReduceOrder(string orderId, long remainingQuantity)
    {
        if (OpenOrderOrRefusal(orderId, out var order) is { } refusal)
        {
            return refusal;
        }

        if (remainingQuantity < 1 || remainingQuantity > order.OutstandingQuantity)
        {
            return OrderResult.Refused(ErrorCodes.InvalidQuantity, remainingQuantity < 1
                ? "An order keeps at least 1 s; cancel it to remove it."
                : $"An order can only be reduced: it has {order.OutstandingQuantity} s outstanding.");
        }

        if (remainingQuantity == order.OutstandingQuantity)
        {
            return new OrderResult(order.ToView(), null, [], false);
        }

        var cancelledBefore = order.CancelledQuantity;
        var reduction = await GrainFactory.ByKey<IOrderBookGrain>(order.CelebrityId).Reduce(orderId, AccountId, remainingQuantity);
        if (reduction.Error is not null)
        {
            // Already traded or cancelled on the book; its final events are on their way to this wallet.
            return OrderResult.Refused(ErrorCodes.OrderNotOpen, "The order is no longer on the book.");
        }

        // As with a cancel, the release arrives as a book event (none if fills on their way here already left the order
        // with no more than asked), possibly while this call waited; report the order as the fan will shortly see it.
        var view = order.ToView() with { CancelledQuantity = Math.Max(order.CancelledQuantity, cancelledBefore + reduction.ReducedQuantity) };
        return new OrderResult(view, null, [], false);
    }

    public async Task<OrderResult> RepriceOrder(string orderId, long limitPriceFen)
    {
        if (OpenOrderOrRefusal(orderId, out var order) is { } refusal)
        {
            return refusal;
        }

        if (Suspended() is { } suspended)
        {
            return OrderResult.Refused(suspended.Code, suspended.Message);
        }

        if (!order.CanRest)
        {
            return OrderResult.Refused(ErrorCodes.InvalidRequest, "Only a good-till-cancel or day limit order rests on the book with a price to change.");
        }

        if (limitPriceFen <= 0)
        {
            return OrderResult.Refused(ErrorCodes.InvalidPrice, "A limit price must be a positive number of fen per second.");
        }

        if (NotionalTooLarge(limitPriceFen, order.Quantity) is { } tooLarge)
        {
            return OrderResult.Refused(tooLarge.Code, tooLarge.Message);
        }

        var needed = WalletState.CashToReprice(order, limitPriceFen);
        if (needed > State.CashAvailable)
        {
            return OrderResult.Refused(ErrorCodes.InsufficientFunds,
                $"The new price needs {new Cash(needed)} ({needed} fen) more reserved; {new Cash(State.CashAvailable)} ({State.CashAvailable} fen) are available.");
        }

        // Stored before the book may trade at the new price: a raised reservation, and the request itself when an
        // earlier one's event is still to come (that event must not lower the reservation below this price, even
        // after a restart). The price itself the wallet takes from the book (its answer, and the event that follows
        // it): an answer lost on the way leaves the order shown at the price the book really has, and the same price
        // sent again changes nothing there.
        var mustStoreFirst = needed > 0 || order.UnsettledRepricesFen.Count > 0;
        State.RecordRepriceRequest(order, limitPriceFen);
        if (mustStoreFirst)
        {
            await PersistAsync();
        }
        else
        {
            _writer.Defer();
        }

        var repriced = await GrainFactory.ByKey<IOrderBookGrain>(order.CelebrityId).Reprice(orderId, AccountId, limitPriceFen);
        if (repriced.Rejection is { } rejection)
        {
            // The book left the order as it was; one that closed meanwhile released at the raised price already.
            if (State.OpenOrders.TryGetValue(orderId, out var stillOpen))
            {
                var reservedBefore = stillOpen.ReservationPriceFen;
                State.ForgetRepriceRequest(stillOpen, limitPriceFen);
                if (stillOpen.ReservationPriceFen != reservedBefore)
                {
                    await PersistAsync();
                }
                else
                {
                    _writer.Defer();
                }
            }

            return rejection.Code is ErrorCodes.UnknownOrder
                ? OrderResult.Refused(ErrorCodes.OrderNotOpen, "The order is no longer on the book.")
                : OrderResult.Refused(rejection.Code, rejection.Message);
        }

        if (State.OpenOrders.ContainsKey(orderId))
        {
            // Stored with the book's event; until then, the fan's next read already shows it. A price the book already
            // had sends no event, so nothing more is on its way for this request.
            State.SetLimitPrice(order, limitPriceFen);
            if (repriced.AlreadyProcessed)
            {
                State.ForgetRepriceRequest(order, limitPriceFen);
            }

            _writer.Defer();
            Announce([order.ToView()], [], [order.CelebrityId]);
        }

        var view = order.ToView() with { LimitPriceFen = limitPriceFen };
        return new OrderResult(repriced.Fills.Count == 0 ? view : view with
        {
            FilledQuantity = view.Quantity - view.CancelledQuantity - repriced.RestingQuantity - repriced.CancelledQuantity,
            CancelledQuantity = view.CancelledQuantity + repriced.CancelledQuantity,
            State = repriced.RestingQuantity > 0 ? OrderState.PartiallyFilled : OrderState.Filled,
        }, null, repriced.Fills, false);
    }

    private OrderResult? OpenOrderOrRefusal(string orderId, out WalletOrderState order)
    {
        order = null!;
        if (!orderId.StartsWith(AccountId + ":", StringComparison.Ordinal))
        {
            return OrderResult.Refused(ErrorCodes.NotYourOrder, "That order belongs to another account.");
        }

        if (!State.OpenOrders.TryGetValue(orderId, out var open))
        {
            return State.FindOrder(orderId) is not { } closed ? OrderResult.Refused(ErrorCodes.UnknownOrder, $"No order '{orderId}'.")
                // Said exactly, so a fan repeating a cancel whose answer was lost learns whether it was cancelled or traded first.
                : OrderResult.Refused(ErrorCodes.OrderNotOpen, closed.State switch
                {
                    OrderState.Filled => $"The order is already filled ({closed.FilledQuantity} s).",
                    OrderState.Rejected => "The order was rejected.",
                    _ => $"The order is already cancelled ({closed.FilledQuantity} of {closed.Quantity} s filled, {closed.CancelledQuantity} s cancelled).",
                });
        }

        order = open;
        return open.State == OrderState.Submitting ? OrderResult.Refused(ErrorCodes.OrderNotOpen, "The order is still being placed; try again.") : null;
    }

    public Task<OrderView?> GetOrder(string orderId) => Task.FromResult(State.FindOrder(orderId)?.ToView());

    public Task<IReadOnlyList<OrderView>> GetOrders(bool includeClosed)
    {
        IEnumerable<WalletOrderState> orders = State.OpenOrders.Values;
        if (includeClosed)
        {
            orders = orders.Concat(State.ClosedOrders);
        }

        return Task.FromResult<IReadOnlyList<OrderView>>(orders.OrderByDescending(order => order.OrderNumber).Select(order => order.ToView()).ToList());
    }

    public Task<WalletSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    public Task<WalletAuditReading> GetAuditReading() => Task.FromResult(new WalletAuditReading(Snapshot(), State.IssuancesPaidFen, State.IssuancesReceivedFen,
        State.Holdings.Where(pair => pair.Value.ReceivedByIssuance != 0).ToDictionary(pair => pair.Key, pair => pair.Value.ReceivedByIssuance),
        State.Holdings.Where(pair => pair.Value.Redeemed != 0).ToDictionary(pair => pair.Key, pair => pair.Value.Redeemed),
        new Dictionary<string, long>(State.AppliedEventSequence)));

    private WalletSnapshot Snapshot()
    {
        var holdings = State.Holdings
            .Where(pair => pair.Value.Total != 0 || pair.Value.Available != 0)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Value.ToView(pair.Key))
            .ToList();
        var openOrders = State.OpenOrders.Values.OrderBy(order => order.OrderNumber).Select(order => order.ToView()).ToList();
        var reservedByOrders = State.OpenOrders.Values
            .Where(order => order.Side == Side.Buy)
            .Sum(order => checked(order.ReservationPriceFen * order.OutstandingQuantity));
        return new WalletSnapshot(AccountId, State.CashAvailable, State.CashReserved, holdings, State.TotalDepositedFen, State.TotalWithdrawnFen, openOrders,
            reservedByOrders, State.CashHeldForWithdrawals, State.Holdings.Values.Sum(holding => holding.RealisedGainFen), State.SuspendedReason);
    }

    public async Task<AccountSuspension> Suspend(string reason)
    {
        await FlushAsync();
        if (AccountIds.IsPlatform(AccountId))
        {
            return new AccountSuspension(AccountId, null, 0, new ExchangeError(ErrorCodes.InvalidRequest, "The platform's own accounts cannot be suspended."));
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200)
        {
            return new AccountSuspension(AccountId, State.SuspendedReason, 0, new ExchangeError(ErrorCodes.InvalidRequest, "A reason of 1 to 200 characters is required."));
        }

        // Stored before the cancels, so that no order is placed in between (this grain takes one call at a time, and a
        // crash part-way leaves it suspended, with what is still open cancelled by suspending again).
        State.SuspendedReason = reason.Trim();
        await PersistAsync();
        var cancelled = 0;
        foreach (var order in State.OpenOrders.Values.OrderBy(order => order.OrderNumber).ToList())
        {
            if ((await CancelOrder(order.OrderId)).Error is null)
            {
                cancelled++;
            }
        }

        AnnounceBalances();
        return new AccountSuspension(AccountId, State.SuspendedReason, cancelled);
    }

    public async Task<AccountSuspension> Reinstate()
    {
        await FlushAsync();
        if (State.SuspendedReason is not null)
        {
            State.SuspendedReason = null;
            await PersistAsync();
            AnnounceBalances();
        }

        return new AccountSuspension(AccountId, null, 0);
    }

    /// <summary>Why the account may not do what would take value out or put new orders in, while an operator holds it.</summary>
    private ExchangeError? Suspended() => State.SuspendedReason is { } reason
        ? new ExchangeError(ErrorCodes.AccountSuspended, $"The account is suspended by the exchange ({reason}): it may cancel orders, not place them or take anything out.")
        : null;

    public async Task ApplyBookEvents(string celebrityId, IReadOnlyList<BookEvent> events)
    {
        await FlushAsync();
        var applied = State.AppliedEventSequence.GetValueOrDefault(celebrityId);
        var fresh = events.Where(e => e.Sequence > applied).ToList();

        // Check the whole batch before changing anything: a batch is applied entirely or not at all, so a retry can
        // never apply its first half twice.
        foreach (var order in fresh.SelectMany(OrdersConcerned).Where(id => !State.OpenOrders.ContainsKey(id)))
        {
            logger.LogError("Book {Celebrity} sent an event for order {OrderId}, which {Account} does not hold open; settlement of this batch waits",
                celebrityId, order, AccountId);
            throw new InvalidOperationException($"Book event for order {order}, which {AccountId} does not hold open.");
        }

        var changed = false;
        foreach (var bookEvent in fresh)
        {
            Apply(bookEvent);
            applied = bookEvent.Sequence;
            changed = true;
        }

        if (changed)
        {
            State.RecordAppliedEvents(celebrityId, applied);
            await PersistAsync();
            var orders = fresh.SelectMany(OrdersConcerned).Distinct().Select(id => State.FindOrder(id)?.ToView()).OfType<OrderView>().ToList();
            Announce(orders, fresh.Select(e => e.Trade).OfType<TradeRecord>().ToList(), [celebrityId]);
        }
        else
        {
            // "Already applied" may rest on a write still in flight from an interleaved call (a retry that overtook
            // its first attempt): the book drops these events on this answer, so it must wait until they are stored.
            await FlushAsync();
        }
    }

    public async Task<TransferResult> ReceiveIssuance(string issuanceId, string celebrityId, long seconds, long costFen, bool counted)
    {
        await FlushAsync();
        var key = TransferKeys.Issuance(issuanceId);
        if (State.ProcessedTransfers.Contains(key))
        {
            return TransferResult.Replayed;
        }

        if (seconds <= 0 || costFen < 0)
        {
            return TransferResult.Refused(ErrorCodes.InvalidAmount, "Issued seconds must be positive and the cost not negative.");
        }

        if (costFen > State.CashAvailable)
        {
            return TransferResult.Refused(ErrorCodes.InsufficientFunds, $"The treasury has {new Cash(State.CashAvailable)} ({State.CashAvailable} fen) available; the issuance costs {new Cash(costFen)} ({costFen} fen).");
        }

        State.CashAvailable -= costFen;
        var holding = State.Holding(celebrityId);
        holding.Gain(seconds, costFen);
        if (counted)
        {
            State.IssuancesPaidFen = checked(State.IssuancesPaidFen + costFen);
            holding.ReceivedByIssuance = checked(holding.ReceivedByIssuance + seconds);
        }
        State.RecordProcessedTransfer(key);
        await PersistAsync();
        AnnounceBalances(celebrityId);
        return TransferResult.Done;
    }

    public async Task<TransferResult> ReceivePayout(string issuanceId, long amountFen, bool counted)
    {
        await FlushAsync();
        var key = TransferKeys.Payout(issuanceId);
        if (State.ProcessedTransfers.Contains(key))
        {
            return TransferResult.Replayed;
        }

        State.CashAvailable = checked(State.CashAvailable + amountFen);
        State.IssuancesReceivedFen = checked(State.IssuancesReceivedFen + (counted ? amountFen : 0));
        State.RecordProcessedTransfer(key);
        await PersistAsync();
        AnnounceBalances();
        return TransferResult.Done;
    }

    public async Task<TransferResult> HoldForBooking(BookingView booking)
    {
        await FlushAsync();
        if (State.Bookings.ContainsKey(booking.BookingId))
        {
            return TransferResult.Replayed;
        }

        if (Suspended() is { } suspended)
        {
            return TransferResult.Refused(suspended.Code, suspended.Message);
        }

        var available = State.Holdings.GetValueOrDefault(booking.CelebrityId)?.Available ?? 0;
        if (booking.Seconds <= 0 || available < booking.Seconds)
        {
            // Seconds reserved by sell orders or held for other bookings are not available: they cannot be promised twice.
            return TransferResult.Refused(ErrorCodes.InsufficientSeconds,
                $"A {(booking.Kind switch { SlotKind.MeetUp => "meet-up", SlotKind.TextChat => "text chat", _ => "video call" })} with '{booking.CelebrityId}' needs {booking.Seconds} s available; you have {available} s.");
        }

        var holding = State.Holding(booking.CelebrityId);
        holding.Available -= booking.Seconds;
        holding.HeldForBookings += booking.Seconds;
        State.Bookings[booking.BookingId] = new BookingHoldState
        {
            BookingId = booking.BookingId,
            CelebrityId = booking.CelebrityId,
            SlotId = booking.SlotId,
            Kind = booking.Kind,
            Start = booking.Start,
            Seconds = booking.Seconds,
            Status = BookingHoldStatus.Held,
        };
        await PersistAsync();
        AnnounceBalances(booking.CelebrityId);
        return TransferResult.Done;
    }

    public Task ReleaseBooking(string bookingId) => SettleBookingAsync(bookingId, _ => 0, counted: false);

    public Task BurnBooking(string bookingId, bool counted) => SettleBookingAsync(bookingId, held => held, counted);

    public Task SettleChatHold(string bookingId, long usedSeconds, bool counted) =>
        SettleBookingAsync(bookingId, held => Math.Clamp(usedSeconds, 0, held), counted);

    public async Task<TransferResult> RedeemChat(string redemptionId, string celebrityId, long seconds, bool counted)
    {
        await FlushAsync();
        var key = TransferKeys.Chat(redemptionId);
        if (State.ProcessedTransfers.Contains(key))
        {
            return Repeated(key, seconds, ChatRedemptionIdUsed);
        }

        if (Suspended() is { } suspended)
        {
            return TransferResult.Refused(suspended.Code, suspended.Message);
        }

        var holding = State.Holdings.GetValueOrDefault(celebrityId);
        if (seconds <= 0)
        {
            return TransferResult.Refused(ErrorCodes.InvalidQuantity, "A chat uses at least 1 second.");
        }

        if (holding is null || holding.Available < seconds)
        {
            return TransferResult.Refused(ErrorCodes.InsufficientSeconds, $"The chat would use {seconds} s of '{celebrityId}'; you have {holding?.Available ?? 0} s available.");
        }

        var burned = State.Holding(celebrityId);
        burned.LoseCostOf(seconds);
        burned.Available -= seconds;
        burned.Redeemed = checked(burned.Redeemed + (counted ? seconds : 0));
        State.RecordProcessedTransfer(key, seconds);
        await PersistAsync();
        AnnounceBalances(celebrityId);
        return TransferResult.Done;
    }

    public Task<IReadOnlyList<BookingView>> GetBookings() => Task.FromResult<IReadOnlyList<BookingView>>(State.Bookings.Values
        .OrderBy(b => b.Start)
        .Select(b => new BookingView(b.BookingId, b.CelebrityId, b.SlotId, b.Kind, b.Start, b.Seconds, b.Status.ToString().ToLowerInvariant()))
        .ToList());

    /// <summary>Burns what <paramref name="burnedOf"/> says of a hold's seconds and returns the rest to available, once.</summary>
    private async Task SettleBookingAsync(string bookingId, Func<long, long> burnedOf, bool counted)
    {
        await FlushAsync();
        if (!State.Bookings.TryGetValue(bookingId, out var booking) || booking.Status != BookingHoldStatus.Held)
        {
            return;
        }

        var burned = burnedOf(booking.Seconds);
        var holding = State.Holding(booking.CelebrityId);
        if (burned > 0)
        {
            holding.LoseCostOf(burned);
        }

        holding.HeldForBookings -= booking.Seconds;
        holding.Available += booking.Seconds - burned;
        if (counted)
        {
            holding.Redeemed = checked(holding.Redeemed + burned);
        }

        booking.Status = burned > 0 ? BookingHoldStatus.Burned : BookingHoldStatus.Released;
        booking.BurnedSeconds = burned;
        if (booking.Kind == SlotKind.TextChat)
        {
            State.ForgetOldSettledChatHolds();
        }
        await PersistAsync();
        AnnounceBalances(booking.CelebrityId);
    }

    public async Task<WithdrawalResult> RequestWithdrawal(string requestId, long amountFen)
    {
        await FlushAsync();
        if (string.IsNullOrWhiteSpace(requestId) || requestId.Length > 64)
        {
            return WithdrawalResult.Refused(ErrorCodes.InvalidRequest, "A request id of 1 to 64 characters is required.");
        }

        if (amountFen <= 0)
        {
            return WithdrawalResult.Refused(ErrorCodes.InvalidAmount, "The amount must be a positive number of fen.");
        }

        // A payout account's agent asks to be paid like a fan does; the platform's own money moves only by operators.
        if (AccountIds.IsPlatform(AccountId))
        {
            return WithdrawalResult.Refused(ErrorCodes.InvalidRequest, "The platform's own accounts are paid out by operators directly.");
        }

        if (State.Withdrawals.TryGetValue(requestId, out var earlier))
        {
            return earlier.AmountFen == amountFen
                ? new WithdrawalResult(ViewOf(earlier), WasReplay: true, null)
                : WithdrawalResult.Refused(ErrorCodes.DuplicateRequest, $"Request id '{requestId}' was already used for {new Cash(earlier.AmountFen)}.");
        }

        if (Suspended() is { } suspended)
        {
            return WithdrawalResult.Refused(suspended.Code, suspended.Message);
        }

        if (amountFen > State.CashAvailable)
        {
            return WithdrawalResult.Refused(ErrorCodes.InsufficientFunds,
                $"Only {new Cash(State.CashAvailable)} ({State.CashAvailable} fen) are available to withdraw"
                + (State.CashReserved > 0 ? $"; the {new Cash(State.CashReserved)} reserved by open buy orders is not until they trade or are cancelled." : "."));
        }

        var withdrawal = new WithdrawalState { RequestId = requestId, AmountFen = amountFen, RequestedAt = time.UtcNow, Status = WithdrawalStatus.Pending };
        State.CashAvailable -= amountFen;
        State.Withdrawals[requestId] = withdrawal;
        await PersistAsync();
        await ListOnDeskAsync(withdrawal);
        AnnounceBalances();
        return new WithdrawalResult(ViewOf(withdrawal), WasReplay: false, null);
    }

    public async Task<WithdrawalResult> DecideWithdrawal(string requestId, bool paid, string note)
    {
        await FlushAsync();
        if (!State.Withdrawals.TryGetValue(requestId, out var withdrawal))
        {
            // A listing whose removal failed and whose request has since been forgotten would otherwise stay for good.
            await RemoveFromDeskAsync(requestId);
            return WithdrawalResult.Refused(ErrorCodes.UnknownWithdrawal, $"{AccountId} has no withdrawal '{requestId}'.");
        }

        var outcome = paid ? WithdrawalStatus.Paid : WithdrawalStatus.Rejected;
        if (withdrawal.Status != WithdrawalStatus.Pending)
        {
            if (withdrawal.Status != outcome)
            {
                return WithdrawalResult.Refused(ErrorCodes.WithdrawalDecided, $"Withdrawal '{requestId}' was already {ViewOf(withdrawal).Status}.");
            }

            // The repeat of a decision whose removal from the desk was lost finishes it.
            await RemoveFromDeskAsync(requestId);
            return new WithdrawalResult(ViewOf(withdrawal), WasReplay: true, null);
        }

        if (paid)
        {
            State.TotalWithdrawnFen = checked(State.TotalWithdrawnFen + withdrawal.AmountFen);
        }
        else
        {
            State.CashAvailable = checked(State.CashAvailable + withdrawal.AmountFen);
        }

        withdrawal.Status = outcome;
        withdrawal.DecidedAt = time.UtcNow;
        withdrawal.Note = note;
        ForgetOldDecidedWithdrawals();
        await PersistAsync();
        await RemoveFromDeskAsync(requestId);
        AnnounceBalances();
        return new WithdrawalResult(ViewOf(withdrawal), WasReplay: false, null);
    }

    public Task<IReadOnlyList<WithdrawalView>> GetWithdrawals() => Task.FromResult<IReadOnlyList<WithdrawalView>>(
        State.Withdrawals.Values.OrderByDescending(w => w.RequestedAt).ThenBy(w => w.RequestId, StringComparer.Ordinal).Select(ViewOf).ToList());

    private WithdrawalView ViewOf(WithdrawalState withdrawal) => new(AccountId, withdrawal.RequestId, withdrawal.AmountFen,
        withdrawal.Status.ToString().ToLowerInvariant(), withdrawal.RequestedAt, withdrawal.DecidedAt, withdrawal.Note);

    private IWithdrawalDeskGrain Desk => GrainFactory.ByKey<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key);

    private static bool Unlisted(WithdrawalState withdrawal) => withdrawal.Status == WithdrawalStatus.Pending && !withdrawal.Listed;

    /// <summary>
    /// Lists a held withdrawal where operators look. The hold is already stored, so a failure here is retried from a
    /// timer (and after a restart) instead of failing the fan's request.
    /// </summary>
    private async Task ListOnDeskAsync(WithdrawalState withdrawal)
    {
        try
        {
            await Desk.Enqueue(ViewOf(withdrawal));
            withdrawal.Listed = true;
            _writer.Defer();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not list withdrawal {RequestId} of {Account} for the operators; retrying", withdrawal.RequestId, AccountId);
            this.RegisterGrainTimer(ListUnlistedWithdrawalsAsync, options.Value.SettlementRetryDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ListUnlistedWithdrawalsAsync(CancellationToken cancellationToken)
    {
        foreach (var withdrawal in State.Withdrawals.Values.Where(Unlisted).ToList())
        {
            await ListOnDeskAsync(withdrawal);
        }
    }

    private async Task RemoveFromDeskAsync(string requestId)
    {
        try
        {
            await Desk.Remove(AccountId, requestId);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not take decided withdrawal {RequestId} of {Account} off the operators' list; repeating the decision does", requestId, AccountId);
        }
    }

    /// <summary>
    /// Keeps the latest decided withdrawals only, so the wallet's state does not grow with its history. A request id
    /// forgotten here would be taken as new if sent again, which only a client retrying a months-old request would do.
    /// </summary>
    private void ForgetOldDecidedWithdrawals()
    {
        var decided = State.Withdrawals.Values.Where(w => w.Status != WithdrawalStatus.Pending).OrderByDescending(w => w.DecidedAt).ToList();
        foreach (var old in decided.Skip(WalletState.DecidedWithdrawalsKept))
        {
            State.Withdrawals.Remove(old.RequestId);
        }
    }

    public Task Watch(IAccountObserver observer)
    {
        (_watchers ??= new ObserverManager<IAccountObserver>(AccountWatching.Lifetime, logger)).Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unwatch(IAccountObserver observer)
    {
        _watchers?.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private void AnnounceBalances(params string[] celebrities) => Announce([], [], celebrities);

    /// <summary>Tells watchers what a stored change did; called only after the write, so nothing is shown that a crash could undo.</summary>
    private void Announce(IReadOnlyList<OrderView> orders, IReadOnlyList<TradeRecord> trades, IReadOnlyList<string> celebrities)
    {
        if (_watchers is not { Count: > 0 } watchers)
        {
            return;
        }

        var holdings = celebrities.Distinct().Select(id => (State.Holdings.GetValueOrDefault(id) ?? new HoldingState()).ToView(id)).ToList();
        var update = new AccountUpdate(AccountId, orders, trades, State.CashAvailable, State.CashReserved, holdings, State.CashHeldForWithdrawals);
        watchers.Notify((Action<IAccountObserver>)(watcher => watcher.OnAccountChanged(update)));
    }

    /// <summary>
    /// A key seen before is a replay only if it asks for the same move (<see cref="WalletState.TransferAmounts"/>);
    /// otherwise answering "done" would hide that the second request moved nothing, and <paramref name="usedFor"/> says
    /// what the key moved. Keys stored before amounts were recorded are taken as replays.
    /// </summary>
    private TransferResult Repeated(string key, long amount, Func<long, TransferResult> usedFor) =>
        State.TransferAmounts.TryGetValue(key, out var earlier) && earlier != amount ? usedFor(earlier) : TransferResult.Replayed;

    private static TransferResult MovedBefore(string idempotencyKey, long moved) =>
        TransferResult.Refused(ErrorCodes.DuplicateRequest,
            $"Idempotency key '{idempotencyKey}' was already used for a {(moved > 0 ? "deposit" : "withdrawal")} of {new Cash(Math.Abs(moved))} ({Math.Abs(moved)} fen); " +
            "nothing moved now. A retry must repeat the request exactly; a new movement needs a new key.");

    /// <summary>A chat's redemption id repeated for another number of seconds: answering "done" would hide that nothing was used.</summary>
    internal static TransferResult ChatRedemptionIdUsed(long secondsUsed) =>
        TransferResult.Refused(ErrorCodes.DuplicateRequest,
            $"That redemption id was already used for a chat of {secondsUsed} s; nothing was used now. A new chat needs a new redemption id.");

    /// <summary>Price x quantity over the per-order cap (computed wide, so an overflow is refused too); null when within it.</summary>
    private ExchangeError? NotionalTooLarge(long priceFen, long quantity) =>
        (Int128)priceFen * quantity > options.Value.MaxOrderNotionalFen
            ? new ExchangeError(ErrorCodes.NotionalTooLarge, $"Price x quantity exceeds the per-order limit of {new Cash(options.Value.MaxOrderNotionalFen)} ({options.Value.MaxOrderNotionalFen} fen).")
            : null;

    private static TransferResult? Invalid(string idempotencyKey, long amountFen) =>
        string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 128
            ? TransferResult.Refused(ErrorCodes.InvalidRequest, "An idempotency key of 1 to 128 characters is required.")
            : amountFen <= 0
                ? TransferResult.Refused(ErrorCodes.InvalidAmount, "The amount must be a positive number of fen.")
                : null;

    private sealed record PricedOrder(WalletOrderState? Order, ExchangeError? Error);

    private async Task<PricedOrder> ValidateAndPriceAsync(PlaceOrderCommand command)
    {
        static PricedOrder Refuse(string code, string message) => new(null, new ExchangeError(code, message));

        if (string.IsNullOrWhiteSpace(command.CelebrityId))
        {
            return Refuse(ErrorCodes.UnknownCelebrity, "A celebrity id is required.");
        }

        if (!Enum.IsDefined(command.Side) || !Enum.IsDefined(command.Type) || !Enum.IsDefined(command.TimeInForce))
        {
            return Refuse(ErrorCodes.InvalidRequest, "Unknown side, order type or time in force.");
        }

        if (command.Quantity <= 0)
        {
            return Refuse(ErrorCodes.InvalidQuantity, "Quantity must be a positive number of seconds.");
        }

        if (command.Type == OrderType.Limit && command.LimitPriceFen <= 0)
        {
            return Refuse(ErrorCodes.InvalidPrice, "A limit price must be a positive number of fen per second.");
        }

        if (command.StopPriceFen < 0)
        {
            return Refuse(ErrorCodes.InvalidPrice, "A stop price must be a positive number of fen per second.");
        }

        if (AccountIds.IsSystem(AccountId) && AccountId != AccountIds.Treasury)
        {
            return Refuse(ErrorCodes.InvalidRequest, "Payout accounts cannot trade.");
        }

        var reservationPrice = command.LimitPriceFen;
        if (command.Type == OrderType.Market)
        {
            var quote = await GrainFactory.ByKey<IOrderBookGrain>(command.CelebrityId).GetQuote();
            if (!quote.IsOpen)
            {
                return Refuse(ErrorCodes.UnknownCelebrity, $"'{command.CelebrityId}' is not trading.");
            }

            // A market buy can pay at most the band's upper edge, so that is what it must have in hand.
            reservationPrice = command.Side == Side.Buy ? quote.BandUpperFen : 0;
        }

        long notional = 0;
        if (command.Side == Side.Buy || command.Type == OrderType.Limit)
        {
            var price = command.Side == Side.Buy ? reservationPrice : command.LimitPriceFen;
            if (NotionalTooLarge(price, command.Quantity) is { } tooLarge)
            {
                return new PricedOrder(null, tooLarge);
            }

            notional = price * command.Quantity;
        }

        if (command.Side == Side.Buy && notional > State.CashAvailable)
        {
            var pricedAt = command.Type == OrderType.Market ? $" (a market buy reserves at the top of today's band, {new Price(reservationPrice).Yuan} CNY/s)" : "";
            return Refuse(ErrorCodes.InsufficientFunds,
                $"The order needs {new Cash(notional)} ({notional} fen){pricedAt}; {new Cash(State.CashAvailable)} ({State.CashAvailable} fen) are available.");
        }

        if (command.Side == Side.Sell && State.Holdings.GetValueOrDefault(command.CelebrityId) is var holding
            && command.Quantity > (holding?.Available ?? 0))
        {
            // Say where the rest is, so the fan knows whether to cancel a sell order, wait for a booking, or buy more.
            var elsewhere = holding is null || holding.Reserved + holding.HeldForBookings == 0 ? ""
                : $" ({holding.Reserved} s more are reserved by open sell orders and {holding.HeldForBookings} s held for bookings)";
            return Refuse(ErrorCodes.InsufficientSeconds,
                $"The order sells {command.Quantity} s of '{command.CelebrityId}'; {holding?.Available ?? 0} s are available{elsewhere}.");
        }

        var number = State.LastOrderNumber + 1;
        return new PricedOrder(new WalletOrderState
        {
            OrderId = $"{AccountId}:{number}",
            ClientOrderId = command.ClientOrderId,
            CelebrityId = command.CelebrityId,
            OrderNumber = number,
            Side = command.Side,
            Type = command.Type,
            TimeInForce = WalletOrderState.EffectiveTimeInForce(command.Type, command.TimeInForce, command.StopPriceFen),
            StopPriceFen = command.StopPriceFen,
            LimitPriceFen = command.Type == OrderType.Limit ? command.LimitPriceFen : 0,
            ReservationPriceFen = command.Side == Side.Buy ? reservationPrice : 0,
            SettledLimitFen = command.Type == OrderType.Limit ? command.LimitPriceFen : 0,
            Quantity = command.Quantity,
            State = OrderState.Submitting,
            CreatedAt = time.UtcNow,
        }, null);
    }

    private async Task<BookPlacement> SubmitAsync(WalletOrderState order)
    {
        if (order.FilledQuantity + order.CancelledQuantity > 0)
        {
            // Its book events arrived before the book's answer did (the answer was lost): the book took the order, and
            // having delivered those events it may keep no trace of it, so a re-send could be taken as a new order.
            State.RecordPlacement(order, []);
            _writer.Defer();
            return BookPlacement.AlreadyTaken;
        }

        var bookOrder = new BookOrder(order.OrderId, AccountId, order.OrderNumber, order.Side, order.Type, order.TimeInForce,
            order.Type == OrderType.Limit ? order.LimitPriceFen : order.ReservationPriceFen, order.Quantity, order.StopPriceFen);
        var placement = await GrainFactory.ByKey<IOrderBookGrain>(order.CelebrityId).Submit(bookOrder);
        if (placement.Rejection is not null)
        {
            // A refusal must be durable before the fan hears it, or a restart would re-send the order and it might pass.
            State.Reject(order);
            await PersistAsync();
            return placement;
        }

        State.RecordPlacement(order, placement.Fills);

        // No write of its own: if this is lost the order is still "Submitting" in storage, and re-sending it after a
        // restart gets "already taken" from the book (it knows the order number). Writing here cost every order a
        // second wallet write.
        _writer.Defer();
        return placement;
    }

    /// <summary>
    /// At most hourly, drops client order ids older than the window; the next write stores the smaller state. A
    /// replay is answered from what is left, so an id is honoured for at least the window and at most an hour more.
    /// </summary>
    private void ForgetOldClientOrderIds()
    {
        var now = time.UtcNow;
        if (now - _clientOrderIdsForgottenAt < TimeSpan.FromHours(1))
        {
            return;
        }

        _clientOrderIdsForgottenAt = now;
        State.ForgetClientOrderIds(now - options.Value.ClientOrderIdWindow);
    }

    private static OrderView ViewFromPlacement(WalletOrderState order, BookPlacement placement)
    {
        // The book's answer is ahead of the wallet's events, so it is the fan's best view of the order right now.
        var state = placement.Status switch
        {
            OrderStatus.Filled => OrderState.Filled,
            OrderStatus.PartiallyFilled => OrderState.PartiallyFilled,
            OrderStatus.Open => OrderState.Open,
            _ => OrderState.Cancelled,
        };
        return placement.AlreadyProcessed
            ? order.ToView()
            : order.ToView() with { FilledQuantity = placement.FilledQuantity, CancelledQuantity = placement.CancelledQuantity, State = state };
    }

    private async Task ResubmitPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var order in State.OpenOrders.Values.Where(order => order.State == OrderState.Submitting).ToList())
        {
            logger.LogInformation("Re-sending order {OrderId} to its book after a restart", order.OrderId);
            await SubmitAsync(order);
        }

        _ordersMayAwaitBook = false;
    }

    private void Apply(BookEvent bookEvent)
    {
        if (bookEvent.Trade is { } trade)
        {
            if (trade.BuyerId == AccountId)
            {
                State.ApplyBuy(RequireOpenOrder(trade.BuyOrderId), trade);
            }

            if (trade.SellerId == AccountId)
            {
                State.ApplySell(RequireOpenOrder(trade.SellOrderId), trade);
            }
        }
        else if (bookEvent.CancelledOwnerId == AccountId && bookEvent.RepricedToFen > 0)
        {
            State.ApplyReprice(RequireOpenOrder(bookEvent.CancelledOrderId!), bookEvent.RepricedToFen);
        }
        else if (bookEvent.CancelledOwnerId == AccountId && bookEvent.StopTriggered)
        {
            State.ApplyStopTriggered(RequireOpenOrder(bookEvent.CancelledOrderId!));
        }
        else if (bookEvent.CancelledOwnerId == AccountId)
        {
            State.ApplyCancellation(RequireOpenOrder(bookEvent.CancelledOrderId!), bookEvent.CancelledQuantity);
        }
    }

    private IEnumerable<string> OrdersConcerned(BookEvent bookEvent)
    {
        if (bookEvent.Trade is { } trade)
        {
            if (trade.BuyerId == AccountId)
            {
                yield return trade.BuyOrderId;
            }

            if (trade.SellerId == AccountId)
            {
                yield return trade.SellOrderId;
            }
        }
        else if (bookEvent.CancelledOwnerId == AccountId)
        {
            yield return bookEvent.CancelledOrderId!;
        }
    }

    private WalletOrderState RequireOpenOrder(string orderId) =>
        State.OpenOrders.GetValueOrDefault(orderId)
        ?? throw new InvalidOperationException($"Book event for order {orderId}, which {AccountId} does not hold open.");

    /// <summary>
    /// Waits until storage holds everything memory does. A request retried after a failed write may find its effect in
    /// memory but not in storage; it must not be answered "already done" before that, or a reload would lose what was
    /// acknowledged.
    /// </summary>
    private Task FlushAsync() => _writer.FlushAsync();

    private async Task PersistAsync()
    {
        if (!State.Registered)
        {
            await directory.RegisterAccountAsync(AccountId);
            State.Registered = true;
        }

        await _writer.WriteAsync();
    }
}
