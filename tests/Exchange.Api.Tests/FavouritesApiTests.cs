using System.Net;
using System.Net.Http.Json;
using Exchange.Abstractions.Http;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>The celebrities an account follows: kept by the exchange, in the order added, each with its quote.</summary>
public class FavouritesApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_fan_follows_celebrities_in_order_again_is_harmless_an_unknown_one_is_refused_and_unfollowing_removes_it()
    {
        await host.ListAndIssueAsync("fav-first", 10, 100);
        await host.ListAndIssueAsync("fav-second", 10, 200);
        using var fan = host.Client(await host.CreateKeyAsync("fav-fan"));
        using var other = host.Client(await host.CreateKeyAsync("fav-other"));

        Expect(HttpStatusCode.NoContent, await fan.PutAsync("/api/v1/me/favourites/fav-second", null));
        Expect(HttpStatusCode.NoContent, await fan.PutAsync("/api/v1/me/favourites/fav-first", null));
        Expect(HttpStatusCode.NoContent, await fan.PutAsync("/api/v1/me/favourites/fav-second", null));
        await ExpectProblemAsync(await fan.PutAsync("/api/v1/me/favourites/nobody-at-all", null), HttpStatusCode.NotFound, "unknown_celebrity");

        var listed = (await fan.GetFromJsonAsync<CelebritySummary[]>("/api/v1/me/favourites"))!;
        Assert.Equal([("fav-second", 200L), ("fav-first", 100L)], listed.Select(c => (c.CelebrityId, c.Quote.ReferencePriceFen)));
        Assert.Empty((await other.GetFromJsonAsync<CelebritySummary[]>("/api/v1/me/favourites"))!);

        Expect(HttpStatusCode.NoContent, await fan.DeleteAsync("/api/v1/me/favourites/fav-second"));
        Expect(HttpStatusCode.NoContent, await fan.DeleteAsync("/api/v1/me/favourites/fav-second"));
        Assert.Equal(["fav-first"], (await fan.GetFromJsonAsync<CelebritySummary[]>("/api/v1/me/favourites"))!.Select(c => c.CelebrityId));
        await ExpectProblemAsync(await host.Client().GetAsync("/api/v1/me/favourites"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_account_follows_at_most_a_hundred_celebrities_and_the_hundred_and_first_changes_nothing()
    {
        using var op = host.Operator();
        var ids = Enumerable.Range(0, 101).Select(i => $"fav-many-{i:D3}").ToList();
        foreach (var id in ids)
        {
            Expect(HttpStatusCode.Created, await op.PostAsJsonAsync("/api/v1/admin/celebrities",
                new { celebrityId = id, displayName = id, category = "gamer", agentId = "agent-" + id, followers = 200_000, averageViewsPerPost = 40_000 }));
        }

        using var fan = host.Client(await host.CreateKeyAsync("fav-many-fan"));
        foreach (var id in ids.Take(100))
        {
            Expect(HttpStatusCode.NoContent, await fan.PutAsync($"/api/v1/me/favourites/{id}", null));
        }

        await ExpectProblemAsync(await fan.PutAsync($"/api/v1/me/favourites/{ids[100]}", null), HttpStatusCode.Conflict, "too_many_favourites");
        Expect(HttpStatusCode.NoContent, await fan.PutAsync($"/api/v1/me/favourites/{ids[5]}", null)); // one it follows: still harmless
        var listed = (await fan.GetFromJsonAsync<CelebritySummary[]>("/api/v1/me/favourites"))!;
        Assert.Equal(ids.Take(100), listed.Select(c => c.CelebrityId));
    }
}
