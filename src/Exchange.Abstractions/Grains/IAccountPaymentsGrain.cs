using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// The top-ups credited to one account (key: the account id), newest first, so a fan can see that a payment arrived.
/// Written by the payment grain after the wallet took the credit; a list to show, not the record of any balance.
/// </summary>
[Version(1)]
public interface IAccountPaymentsGrain : IGrainWithStringKey
{
    /// <summary>Adds the payment unless it is listed already.</summary>
    Task Record(PaymentRecord payment);

    Task<IReadOnlyList<PaymentRecord>> GetRecent();
}
