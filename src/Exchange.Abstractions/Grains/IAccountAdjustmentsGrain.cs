using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// The operators' deposits into and withdrawals from one account (key: the account id), newest first, so its owner can
/// see why their cash changed. Written after the wallet took the movement; a list to show, not the record of any balance.
/// </summary>
[Version(1)]
public interface IAccountAdjustmentsGrain : IGrainWithStringKey
{
    /// <summary>Adds the adjustment unless one with its idempotency key is listed already.</summary>
    Task Record(CashAdjustment adjustment);

    Task<IReadOnlyList<CashAdjustment>> GetRecent();
}
