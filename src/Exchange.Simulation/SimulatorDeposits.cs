using Exchange.Abstractions.Contracts;

namespace Exchange.Simulation;

/// <summary>
/// The operator deposits the simulator makes, decided once for both ports (grains and HTTP): how much, and under which
/// idempotency key, so that a step repeated after a lost answer deposits once.
/// </summary>
public static class SimulatorDeposits
{
    /// <summary>What brings a fan's cash (available and reserved) back to <paramref name="cashFen"/>; null if it has that much.</summary>
    public static (string IdempotencyKey, long AmountFen)? TopUp(WalletSnapshot fan, long cashFen) =>
        cashFen - fan.CashAvailableFen - fan.CashReservedFen is > 0 and var missing ? ($"simulator-topup-{fan.TotalDepositedFen}", missing) : null;

    /// <summary>What the treasury lacks to pay for an issuance of <paramref name="seconds"/> at <paramref name="priceFen"/>; null if it has it.</summary>
    public static (string IdempotencyKey, long AmountFen)? Funding(WalletSnapshot treasury, string issuanceId, long seconds, long priceFen) =>
        checked(seconds * priceFen) - treasury.CashAvailableFen is > 0 and var missing ? ("funding:" + issuanceId, missing) : null;
}
