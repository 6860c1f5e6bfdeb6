using CsCheck;
using Exchange.Domain.Positions;

namespace Exchange.Domain.Tests;

public class CostBasisProperties
{
    [Fact]
    public void Seconds_leaving_take_their_average_share_and_the_rest_keep_the_average_price()
    {
        // 10 s at 1.00 and 10 s at 2.00: 1.50 a second on average.
        Assert.Equal(750, CostBasis.ShareOf(3_000, 20, 5));
        Assert.Equal(3_000 - 750, 15 * 150);
        // A share is rounded down; the last seconds take what is left.
        Assert.Equal(333, CostBasis.ShareOf(1_000, 3, 1));
        Assert.Equal(1_000 - 333, CostBasis.ShareOf(1_000 - 333, 2, 2));
        Assert.Equal(0, CostBasis.ShareOf(0, 7, 3));
    }

    [Fact]
    public void Large_costs_do_not_overflow_on_the_way_to_a_share()
    {
        Assert.Equal(long.MaxValue / 2, CostBasis.ShareOf(long.MaxValue - 1, 1_000_000_000_000, 500_000_000_000));
    }

    [Fact]
    public void More_seconds_leaving_than_are_held_or_negative_amounts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostBasis.ShareOf(100, 5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostBasis.ShareOf(100, 5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostBasis.ShareOf(-1, 5, 1));
    }

    [Fact]
    public void Whatever_leaves_in_whatever_steps_the_shares_add_up_to_the_cost_and_never_exceed_what_is_left()
    {
        Gen.Select(Gen.Long[0, 10_000_000_000], Gen.Long[1, 1_000_000], Gen.Int[1, 1_000]).Sample((cost, held, seed) =>
        {
            var random = new Random(seed);
            var (costLeft, heldLeft, taken) = (cost, held, 0L);
            while (heldLeft > 0)
            {
                var leaving = random.NextInt64(1, heldLeft + 1);
                var share = CostBasis.ShareOf(costLeft, heldLeft, leaving);
                if (share < 0 || share > costLeft || (heldLeft > leaving && (Int128)share * heldLeft > (Int128)costLeft * leaving))
                {
                    return false;
                }

                (costLeft, heldLeft, taken) = (costLeft - share, heldLeft - leaving, taken + share);
            }

            return taken == cost && costLeft == 0;
        });
    }
}
