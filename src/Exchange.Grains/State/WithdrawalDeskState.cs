using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class WithdrawalDeskState
{
    /// <summary>Pending withdrawals by "account/request id".</summary>
    [Id(0)] public Dictionary<string, WithdrawalView> Pending { get; set; } = new();
}
