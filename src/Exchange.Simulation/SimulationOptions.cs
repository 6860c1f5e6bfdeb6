namespace Exchange.Simulation;

public sealed record SimulationOptions
{
    public int MarketMakers { get; init; } = 6;
    public int MomentumTraders { get; init; } = 6;
    public int NoiseTraders { get; init; } = 12;

    /// <summary>How many celebrities the simulated fans trade (the most active part of the market).</summary>
    public int ActiveCelebrities { get; init; } = 25;

    /// <summary>Cash each simulated fan starts with, in fen.</summary>
    public long StartingCashFen { get; init; } = 50_000_000;

    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Every this many rounds each simulated fan's cash is brought back to <see cref="StartingCashFen"/>: pay day.</summary>
    public int TopUpEveryRounds { get; init; } = 500;

    /// <summary>
    /// How many times in a row the simulated fans find a book with no time offered before the platform issues more of
    /// the celebrity's time on it (0: never).
    /// </summary>
    public int IssueAfterSightingsWithoutOffer { get; init; } = 3;

    /// <summary>About what the platform spends on such an issuance, in fen (it buys 50 to 5,000 seconds).</summary>
    public long IssuanceValueFen { get; init; } = 500_000;

    public string FanPrefix { get; init; } = "sim";

    public int Seed { get; init; } = 42;
}
