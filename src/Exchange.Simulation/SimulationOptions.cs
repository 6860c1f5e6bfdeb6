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

    public string FanPrefix { get; init; } = "sim";

    public int Seed { get; init; } = 42;
}
