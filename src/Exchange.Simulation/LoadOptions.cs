namespace Exchange.Simulation;

public sealed record LoadOptions
{
    public int Fans { get; init; } = 100;
    public int Celebrities { get; init; } = 5;

    /// <summary>Stop after this many orders and cancels...</summary>
    public int Operations { get; init; } = 10_000;

    /// <summary>...or after this long, whichever comes first.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    public int Concurrency { get; init; } = 64;
    public string Prefix { get; init; } = "load";
    public long ReferencePriceFen { get; init; } = 1_000;
    public int Seed { get; init; } = 1;
}
