using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class AccountAdjustmentsState
{
    /// <summary>Newest first.</summary>
    [Id(0)] public List<CashAdjustment> Adjustments { get; set; } = new();
}
