namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class CommissionState
{
    [Id(0)] public long TotalFen { get; set; }
    [Id(1)] public long TradeCount { get; set; }
    [Id(2)] public Dictionary<string, long> ByCelebrityFen { get; set; } = new();
    [Id(3)] public Dictionary<DateOnly, long> ByDayFen { get; set; } = new();

    /// <summary>Per celebrity, the last trade sequence credited; books send trades in order, so this is the dedup.</summary>
    [Id(4)] public Dictionary<string, long> CreditedSequence { get; set; } = new();
}
