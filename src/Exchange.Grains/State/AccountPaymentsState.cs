using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class AccountPaymentsState
{
    /// <summary>Newest first.</summary>
    [Id(0)] public List<PaymentRecord> Payments { get; set; } = new();
}
