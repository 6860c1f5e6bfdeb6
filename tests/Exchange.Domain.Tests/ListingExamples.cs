using Exchange.Domain.Listing;

namespace Exchange.Domain.Tests;

public class ListingExamples
{
    [Theory]
    [InlineData(5_000, 10_000, true)]
    [InlineData(4_999, 10_000, false)]
    [InlineData(5_000, 9_999, false)]
    [InlineData(50_000_000, 3_000_000, true)]
    public void Listing_needs_five_thousand_followers_and_ten_thousand_average_views(long followers, long views, bool accepted)
    {
        var refusal = ListingRules.Default.Refusal(new AudienceStats(followers, views));

        Assert.Equal(accepted, refusal is null);
    }

    [Fact]
    public void A_refusal_names_every_shortfall()
    {
        var refusal = ListingRules.Default.Refusal(new AudienceStats(100, 50));

        Assert.Contains("followers", refusal);
        Assert.Contains("views per post", refusal);
    }

    [Fact]
    public void The_seed_catalog_has_about_five_hundred_distinct_fictional_celebrities_in_every_category()
    {
        var entries = SeedCatalog.Entries;

        Assert.InRange(entries.Count, 450, 550);
        Assert.Equal(entries.Count, entries.Select(e => e.CelebrityId).Distinct().Count());
        Assert.Equal(CelebrityCategories.All.Order(), entries.Select(e => e.Category).Distinct().Order());
        Assert.All(entries, e => Assert.True(e.IssueSeconds > 0 && e.PriceFenPerSecond > 0 && e.AgentId.Length > 0));
        Assert.Contains(entries, e => ListingRules.Default.Refusal(e.Audience) is not null);
        Assert.True(entries.Count(e => ListingRules.Default.Refusal(e.Audience) is null) > 300);
        Assert.Same(SeedCatalog.Entries, entries);
    }
}
