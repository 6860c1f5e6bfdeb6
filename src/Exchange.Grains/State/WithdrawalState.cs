namespace Exchange.Grains.State;

public enum WithdrawalStatus
{
    Pending,
    Paid,
    Rejected,
}

[GenerateSerializer]
public sealed class WithdrawalState
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public long AmountFen { get; init; }
    [Id(2)] public DateTimeOffset RequestedAt { get; init; }
    [Id(3)] public WithdrawalStatus Status { get; set; }
    [Id(4)] public DateTimeOffset? DecidedAt { get; set; }
    [Id(5)] public string? Note { get; set; }

    /// <summary>Whether the operators' desk lists it; a pending request not yet listed is listed again from a timer.</summary>
    [Id(6)] public bool Listed { get; set; }
}
