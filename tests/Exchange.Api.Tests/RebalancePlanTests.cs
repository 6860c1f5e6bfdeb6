using Exchange.Silo.Operations;

namespace Exchange.Api.Tests;

public class RebalancePlanTests
{
    [Fact]
    public void Silos_of_one_build_end_up_with_an_even_share()
    {
        var plan = RebalancePlan<string, string>.For(Hosted(("a", 10), ("b", 0), ("c", 2)), ["a", "b", "c"]);

        Assert.Equal(6, plan.Moves.Count);
        Assert.All(plan.Moves, move => Assert.StartsWith("a-", move.Grain));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 4, ["b"] = 4, ["c"] = 4 }, plan.PlannedPerSilo);
    }

    [Fact]
    public void During_a_rolling_upgrade_the_older_build_hands_everything_over_and_receives_nothing()
    {
        var plan = RebalancePlan<string, string>.For(Hosted(("old", 6), ("new-1", 0), ("new-2", 2)), ["new-1", "new-2"]);

        Assert.DoesNotContain(plan.Moves, move => move.Destination == "old");
        Assert.Equal(6, plan.Moves.Count(move => move.Grain.StartsWith("old-", StringComparison.Ordinal)));
        Assert.Equal(new Dictionary<string, int> { ["old"] = 0, ["new-1"] = 4, ["new-2"] = 4 }, plan.PlannedPerSilo);
    }

    [Fact]
    public void Without_a_receiver_nothing_moves()
    {
        var plan = RebalancePlan<string, string>.For(Hosted(("a", 3)), []);

        Assert.Empty(plan.Moves);
        Assert.Equal(3, plan.PlannedPerSilo["a"]);
    }

    private static Dictionary<string, IReadOnlyList<string>> Hosted(params (string Silo, int Count)[] silos) =>
        silos.ToDictionary(s => s.Silo, s => (IReadOnlyList<string>)Enumerable.Range(0, s.Count).Select(i => $"{s.Silo}-{i}").ToList());
}
