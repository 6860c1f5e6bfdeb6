using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;
using Orleans.Concurrency;

namespace Exchange.Abstractions.Grains;

/// <summary>A fan's (or a system account's) cash and seconds. Key: the account id.</summary>
[Version(14)]
public interface IWalletGrain : IGrainWithStringKey
{
    Task<TransferResult> Deposit(string idempotencyKey, long amountFen);

    Task<TransferResult> Withdraw(string idempotencyKey, long amountFen);

    Task<OrderResult> PlaceOrder(PlaceOrderCommand command);

    Task<OrderResult> CancelOrder(string orderId);

    /// <summary>
    /// Leaves an open order <paramref name="remainingQuantity"/> seconds to trade (fewer than it has outstanding, at
    /// least 1), keeping its place in the queue; the reservation for the rest comes back through settlement.
    /// Asking for what it already has outstanding changes nothing.
    /// </summary>
    Task<OrderResult> ReduceOrder(string orderId, long remainingQuantity);

    /// <summary>
    /// Gives an open limit order a new price (<see cref="IOrderBookGrain.Reprice"/>): it queues anew and may trade at
    /// once. Raising a buy order's price reserves the difference for what is outstanding first; lowering it gives the
    /// difference back when the book's event for the change is applied, after every fill at the older price.
    /// </summary>
    Task<OrderResult> RepriceOrder(string orderId, long limitPriceFen);

    Task<OrderView?> GetOrder(string orderId);

    /// <summary>
    /// An operator's hold on the account (suspected fraud, a compliance review): its open orders are cancelled, and until
    /// reinstated it places and reprices no orders, asks for no withdrawal, books no slot and redeems no chat. It still
    /// receives what settles, may cancel and reduce, and operators may still move its money. Suspending again changes
    /// the reason and cancels what is open. Not for the platform's own accounts.
    /// </summary>
    Task<AccountSuspension> Suspend(string reason);

    Task<AccountSuspension> Reinstate();

    Task<IReadOnlyList<OrderView>> GetOrders(bool includeClosed);

    [ReadOnly]
    Task<WalletSnapshot> GetSnapshot();

    [ReadOnly]
    Task<WalletAuditReading> GetAuditReading();

    /// <summary>
    /// Applies events from one celebrity's book, ignoring those already applied. Interleaves with an order placement
    /// that is waiting on that same book, which would otherwise deadlock.
    /// </summary>
    [AlwaysInterleave]
    Task ApplyBookEvents(string celebrityId, IReadOnlyList<BookEvent> events);

    /// <summary>Treasury leg of a primary issuance: pays the cost and receives the issued seconds, once per issuance id.</summary>
    /// <param name="counted">Whether it goes into the running totals the audit reads (<see cref="Contracts.WalletAuditReading"/>): false only to finish a move the previous build began, which the other side did not count either.</param>
    Task<TransferResult> ReceiveIssuance(string issuanceId, string celebrityId, long seconds, long costFen, bool counted);

    /// <summary>Moves seconds from available to held for a booking, once per booking id.</summary>
    Task<TransferResult> HoldForBooking(BookingView booking);

    /// <summary>Returns a booking's held seconds to available (cancellation, lapse). Idempotent.</summary>
    Task ReleaseBooking(string bookingId);

    /// <summary>Burns a booking's held seconds (fulfilled, or the fan did not show). Idempotent.</summary>
    /// <param name="counted">Whether it goes into the running totals the audit reads (<see cref="Contracts.WalletAuditReading"/>): false only to finish a move the previous build began, which the other side did not count either.</param>
    Task BurnBooking(string bookingId, bool counted);

    /// <summary>
    /// Ends a chat session's hold (<see cref="HoldForBooking"/> with <c>TextChat</c>): burns <paramref name="usedSeconds"/>
    /// of it (at most what it holds) and returns the rest to available. Idempotent.
    /// </summary>
    /// <param name="counted">Whether it goes into the running totals the audit reads.</param>
    Task SettleChatHold(string bookingId, long usedSeconds, bool counted);

    /// <summary>Burns seconds used in a text chat straight from available, once per redemption id.</summary>
    /// <param name="counted">Whether it goes into the running totals the audit reads (<see cref="Contracts.WalletAuditReading"/>): false only to finish a move the previous build began, which the other side did not count either.</param>
    Task<TransferResult> RedeemChat(string redemptionId, string celebrityId, long seconds, bool counted);

    Task<IReadOnlyList<BookingView>> GetBookings();

    /// <summary>Payout leg of a primary issuance: the celebrity's or agent's account is paid, once per issuance id.</summary>
    /// <param name="counted">Whether it goes into the running totals the audit reads (<see cref="Contracts.WalletAuditReading"/>): false only to finish a move the previous build began, which the other side did not count either.</param>
    Task<TransferResult> ReceivePayout(string issuanceId, long amountFen, bool counted);

    /// <summary>
    /// A fan asks to take cash out: holds <paramref name="amountFen"/> of available cash until an operator pays it out
    /// or rejects it, and lists it on the operators' desk. Once per request id.
    /// </summary>
    Task<WithdrawalResult> RequestWithdrawal(string requestId, long amountFen);

    /// <summary>
    /// An operator's decision on a pending withdrawal: paid out (the cash leaves the exchange) or rejected (it returns to
    /// available); <paramref name="note"/> is the payout reference or the reason. Repeating the same decision is a replay.
    /// </summary>
    Task<WithdrawalResult> DecideWithdrawal(string requestId, bool paid, string note);

    /// <summary>The account's withdrawals, newest first: pending ones and the latest decided.</summary>
    Task<IReadOnlyList<WithdrawalView>> GetWithdrawals();

    /// <summary>
    /// Pushes the account's changes to <paramref name="observer"/> for <see cref="AccountWatching.Lifetime"/>; call again
    /// to renew. Watching costs a wallet nothing while nobody watches.
    /// </summary>
    [AlwaysInterleave]
    Task Watch(IAccountObserver observer);

    [AlwaysInterleave]
    Task Unwatch(IAccountObserver observer);
}
