namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class PaymentState
{
    [Id(0)] public string? AccountId { get; set; }

    [Id(1)] public long AmountFen { get; set; }

    [Id(2)] public DateTimeOffset ReceivedAt { get; set; }
}
