namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class MarketStatusState
{
    [Id(0)] public string? HaltReason { get; set; }
}
