using System.Text.Json.Serialization;

namespace Exchange.Abstractions.Contracts;

/// <summary>Seconds of one celebrity an account holds.</summary>
/// <param name="CostFen">
/// What the seconds held cost, by average cost: each buy adds what it paid, and seconds sold or redeemed take their
/// share, so CostFen / Total is the average price paid. Null for a holding begun before costs were recorded, until it
/// is emptied.
/// </param>
/// <param name="RealisedGainFen">
/// Gains (losses if negative) on this celebrity's seconds sold so far: what the sales brought after the commission,
/// less what the seconds sold cost. Null when some were sold before costs were recorded.
/// </param>
[GenerateSerializer, Immutable]
public sealed record HoldingView(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] long Available,
    [property: Id(2)] long Reserved,
    [property: Id(3)] long HeldForBookings,
    [property: Id(4)] long? CostFen = null,
    [property: Id(5)] long? RealisedGainFen = 0)
{
    /// <summary>Every second held of the celebrity, whatever it is set aside for: what the audit counts and a wallet is worth.</summary>
    [JsonIgnore]
    public long Total => Available + Reserved + HeldForBookings;
}

/// <summary>Balances of one account; the audit sums these over every account.</summary>
/// <param name="RealisedGainFen">
/// Gains (losses if negative) on every sale so far, over every celebrity, sold out or not; sales of seconds whose cost
/// was not recorded are left out.
/// </param>
[GenerateSerializer, Immutable]
public sealed record WalletSnapshot(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long CashAvailableFen,
    [property: Id(2)] long CashReservedFen,
    [property: Id(3)] IReadOnlyList<HoldingView> Holdings,
    [property: Id(4)] long TotalDepositedFen,
    [property: Id(5)] long TotalWithdrawnFen,
    [property: Id(6)] IReadOnlyList<OrderView> OpenOrders,
    [property: Id(7)] long ReservedCashByOpenOrdersFen,
    [property: Id(8)] long CashHeldForWithdrawalsFen = 0,
    [property: Id(9)] long RealisedGainFen = 0,
    [property: Id(10)] string? SuspendedReason = null);
