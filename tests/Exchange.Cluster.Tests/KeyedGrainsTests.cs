using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;

namespace Exchange.Cluster.Tests;

public class KeyedGrainsTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private IGrainFactory Grains => fixture.Exchange.Grains;

    [Theory]
    [InlineData("keyed-fan")]
    [InlineData("keyed fan with spaces and ünicode")]
    public void A_reference_by_key_is_the_grain_orleans_would_have_given(string key)
    {
        AssertSameGrain(Grains.GetGrain<IWalletGrain>(key), Grains.ByKey<IWalletGrain>(key));
        AssertSameGrain(Grains.GetGrain<IOrderBookGrain>(key), Grains.ByKey<IOrderBookGrain>(key));
        Assert.NotEqual(Grains.ByKey<IWalletGrain>(key).GetGrainId(), Grains.ByKey<IOrderBookGrain>(key).GetGrainId());
        Assert.NotEqual(Grains.ByKey<IWalletGrain>(key).GetGrainId(), Grains.ByKey<IWalletGrain>(key + "-other").GetGrainId());
    }

    [Fact]
    public async Task Calls_through_a_reference_by_key_reach_the_same_activation()
    {
        var deposited = await Grains.ByKey<IWalletGrain>("keyed-depositor").Deposit("keyed-deposit", 4_200);

        Assert.True(deposited.Succeeded);
        Assert.Equal(4_200, (await Grains.GetGrain<IWalletGrain>("keyed-depositor").GetSnapshot()).CashAvailableFen);
    }

    private static void AssertSameGrain(IAddressable expected, IAddressable actual)
    {
        Assert.Equal(expected.GetGrainId(), actual.GetGrainId());
        Assert.Equal(((GrainReference)expected).InterfaceType, ((GrainReference)actual).InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
