namespace Exchange.Grains.State;

public enum IssuanceStatus
{
    /// <summary>Recorded; the treasury and payout legs may not both have happened yet.</summary>
    Pending,
    Completed,
    Failed,
}

[GenerateSerializer]
public sealed class IssuanceState
{
    [Id(0)] public long Seconds { get; init; }
    [Id(1)] public long PriceFen { get; init; }
    [Id(2)] public long CostFen { get; init; }
    [Id(3)] public IssuanceStatus Status { get; set; }
    [Id(4)] public string? OfferOrderId { get; set; }
    [Id(5)] public string? FailureCode { get; set; }
    [Id(6)] public string? FailureMessage { get; set; }

    /// <summary>
    /// Counted in the running totals the audit reads, on every side. False for an issuance the previous build began,
    /// whose first leg it did not count: it is finished without counting, its seconds part of the history before.
    /// </summary>
    [Id(7)] public bool Counted { get; init; }
}

[GenerateSerializer]
public sealed class CelebrityState
{
    [Id(0)] public bool IsListed { get; set; }
    [Id(1)] public string DisplayName { get; set; } = "";
    [Id(2)] public string Category { get; set; } = "";
    [Id(3)] public string AgentId { get; set; } = "";

    /// <summary>Seconds issued by completed issuances: moves only together with the issuance's status.</summary>
    [Id(4)] public long IssuedSeconds { get; set; }
    [Id(5)] public long RedeemedSeconds { get; set; }
    [Id(6)] public Dictionary<string, IssuanceState> Issuances { get; set; } = new();
    /// <summary>Redemption ids recorded before they were dated; the next redemption dates them (<see cref="RecentRedemptions"/>).</summary>
    [Id(7)] public HashSet<string> Redemptions { get; set; } = new();
    [Id(8)] public long Followers { get; set; }
    [Id(9)] public long AverageViewsPerPost { get; set; }
    [Id(10)] public string? FlagReason { get; set; }
    [Id(11)] public string? DelistReason { get; set; }

    /// <summary>
    /// The part of <see cref="IssuedSeconds"/> and <see cref="RedeemedSeconds"/>, and the issuance cost, that wallets
    /// also count (every move since they do): the audit balances these against the wallets' counts.
    /// </summary>
    [Id(12)] public long IssuedSecondsCounted { get; set; }
    [Id(13)] public long RedeemedSecondsCounted { get; set; }
    [Id(14)] public long IssuanceCostCountedFen { get; set; }

    /// <summary>
    /// Redemption ids recorded, with when, so that a repeat is counted once. A repeat comes within minutes (a scheduler
    /// finishing a step whose answer was lost), so ids older than <c>Exchange:RedemptionIdMemory</c> are forgotten:
    /// every chat and booking adds one, and this state is read whole.
    /// </summary>
    [Id(15)] public Dictionary<string, DateTimeOffset> RecentRedemptions { get; set; } = new();
}
