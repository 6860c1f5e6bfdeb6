using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// A payment the payment provider reported as received. Key: the provider's payment id. It ties the payment to one
/// account and amount, so a notification delivered twice, or re-sent with other details, never credits twice.
/// </summary>
[Version(1)]
public interface IPaymentGrain : IGrainWithStringKey
{
    /// <summary>Credits the payment to <paramref name="accountId"/> once; a repeat answers as a replay.</summary>
    Task<TransferResult> Credit(string accountId, long amountFen);
}
