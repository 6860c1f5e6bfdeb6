using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class TimeOfferApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task An_operator_moves_a_celebrity_to_another_agent_who_acts_and_is_paid_for_it_from_then_on()
    {
        const string Star = "api-moving-star", Admin = "/api/v1/admin/celebrities/api-moving-star/agent";
        await host.ListAndIssueAsync(Star, 100, 10, "api-old-agency");
        using var oldAgent = host.Client(await host.CreateKeyAsync("api-old-agency", "celebrity"));
        using var newAgent = host.Client(await host.CreateKeyAsync("api-new-agency", "celebrity"));
        using var op = host.Operator();
        Expect(HttpStatusCode.Created, await oldAgent.PostAsJsonAsync($"/api/v1/celebrities/{Star}/offers", new { offerId = "old-terms", seconds = 50, priceFen = 12 }));
        Expect(HttpStatusCode.Created, await op.PostAsJsonAsync($"/api/v1/celebrities/{Star}/offers", new { offerId = "desk-terms", seconds = 20, priceFen = 11 }));
        await using var oldAgentsSlots = await FeedEvents.OpenAsync(oldAgent, $"/api/v1/celebrities/{Star}/slots/feed");
        await ExpectProblemAsync(await newAgent.GetAsync($"/api/v1/celebrities/{Star}/offers"), HttpStatusCode.Forbidden, "forbidden");

        var moved = await op.PutAsJsonAsync(Admin, new { agentId = "api-new-agency" });
        var movedAgain = await op.PutAsJsonAsync(Admin, new { agentId = "api-new-agency" });
        // The old agent's feed of the celebrity's slots ends at its next key check (a second in these tests).
        var oldFeedEnded = await oldAgentsSlots.NextTypeAsync() is null;
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/deposits", new { idempotencyKey = "after-the-move", amountFen = 300 }));
        Expect(HttpStatusCode.Created, await op.PostAsJsonAsync($"/api/v1/admin/celebrities/{Star}/issuances", new { issuanceId = "after-the-move", seconds = 30, priceFen = 10 }));
        await host.SettleAsync();

        Expect(HttpStatusCode.OK, moved);
        var change = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("api-old-agency", "api-new-agency"), (change.GetProperty("previousAgentId").GetString(), change.GetProperty("celebrity").GetProperty("agentId").GetString()));
        // Only the old agent's waiting offer is withdrawn: accepted, the new agent would be paid for it.
        Assert.Equal(("old-terms", "withdrawn"), (change.GetProperty("withdrawnOffers").EnumerateArray().Single().GetProperty("offerId").GetString(),
            change.GetProperty("withdrawnOffers")[0].GetProperty("status").GetString()));
        var again = await movedAgain.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("api-new-agency", 0), (again.GetProperty("previousAgentId").GetString(), again.GetProperty("withdrawnOffers").GetArrayLength()));
        Assert.True(oldFeedEnded);
        await ExpectProblemAsync(await oldAgent.GetAsync($"/api/v1/celebrities/{Star}/offers"), HttpStatusCode.Forbidden, "forbidden");
        var offers = await newAgent.GetFromJsonAsync<JsonElement>($"/api/v1/celebrities/{Star}/offers");
        Assert.Equal("pending", offers.EnumerateArray().Single(o => o.GetProperty("offerId").GetString() == "desk-terms").GetProperty("status").GetString());
        // The old agency keeps what it was paid for the first 100 s; the time issued after the move is paid to the new one.
        Assert.Equal((1_000L, 300L), (await PayoutAsync("api-old-agency"), await PayoutAsync("api-new-agency")));

        await ExpectProblemAsync(await op.PutAsJsonAsync(Admin, new { agentId = "Not An Id!" }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.PutAsJsonAsync("/api/v1/admin/celebrities/nobody-at-all/agent", new { agentId = "x" }), HttpStatusCode.NotFound, "unknown_celebrity");
        await ExpectProblemAsync(await newAgent.PutAsJsonAsync(Admin, new { agentId = "api-new-agency-2" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("api-new-agency", (await op.GetFromJsonAsync<JsonElement>($"/api/v1/celebrities/{Star}")).GetProperty("celebrity").GetProperty("agentId").GetString());

        async Task<long> PayoutAsync(string agent) =>
            (await op.GetFromJsonAsync<JsonElement>($"/api/v1/admin/accounts/payout:{agent}/wallet")).GetProperty("cashAvailableFen").GetInt64();
    }

    [Fact]
    public async Task An_agent_offers_time_an_operator_accepts_it_and_the_treasury_buys_it_once()
    {
        await host.ListAndIssueAsync("api-offer-star", 100, 300);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-offer-star", "celebrity"));
        using var op = host.Operator();
        var payoutBefore = (await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts")).GetProperty("cashAvailableFen").GetInt64();
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/deposits", new { idempotencyKey = "api-offer-cash", amountFen = 500 * 310 }));

        var offered = await agent.PostAsJsonAsync("/api/v1/celebrities/api-offer-star/offers", new { offerId = "spring", seconds = 500, priceFen = 310, note = "spring tour" });
        var replayed = await agent.PostAsJsonAsync("/api/v1/celebrities/api-offer-star/offers", new { offerId = "spring", seconds = 500, priceFen = 310, note = "spring tour" });
        var waiting = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/offers");
        var accepted = await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-offer-star/offers/spring/accept", new { note = "contract 17" });
        var acceptedAgain = await op.PostAsync("/api/v1/admin/celebrities/api-offer-star/offers/spring/accept", null);
        await host.SettleAsync();
        var own = await agent.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-offer-star/offers");
        var payoutAfter = (await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts")).GetProperty("cashAvailableFen").GetInt64();

        Expect(HttpStatusCode.Created, offered);
        var offer = await offered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("pending", "agent-api-offer-star", "spring tour"), (offer.GetProperty("status").GetString(), offer.GetProperty("offeredBy").GetString(), offer.GetProperty("note").GetString()));
        Expect(HttpStatusCode.OK, replayed);
        Assert.Contains(waiting.EnumerateArray(), o => o.GetProperty("offerId").GetString() == "spring");
        Expect(HttpStatusCode.OK, accepted);
        var decision = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("accepted", "contract 17"), (decision.GetProperty("offer").GetProperty("status").GetString(), decision.GetProperty("offer").GetProperty("decisionNote").GetString()));
        Assert.Equal((500L, 310L), (decision.GetProperty("issuance").GetProperty("seconds").GetInt64(), decision.GetProperty("issuance").GetProperty("priceFen").GetInt64()));
        Expect(HttpStatusCode.OK, acceptedAgain);
        Assert.Equal("accepted", own.EnumerateArray().Single().GetProperty("status").GetString());
        Assert.Equal(500L * 310, payoutAfter - payoutBefore);
        var profile = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-offer-star");
        Assert.Equal(600L, profile.GetProperty("celebrity").GetProperty("issuedSeconds").GetInt64());
    }

    [Fact]
    public async Task Only_the_celebritys_side_offers_and_withdraws_and_only_operators_decide()
    {
        await host.ListAndIssueAsync("api-offer-guarded", 100, 300);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-offer-guarded", "celebrity"));
        using var star = host.Client(await host.CreateKeyAsync("api-offer-guarded", "celebrity"));
        using var otherStar = host.Client(await host.CreateKeyAsync("api-offer-someone-else", "celebrity"));
        using var fan = host.Client(await host.CreateKeyAsync("api-offer-fan"));
        using var op = host.Operator();
        object Offer(string id) => new { offerId = id, seconds = 50, priceFen = 300 };

        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/api-offer-guarded/offers", Offer("f")), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.PostAsJsonAsync("/api/v1/celebrities/api-offer-guarded/offers", Offer("o")), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.GetAsync("/api/v1/celebrities/api-offer-guarded/offers"), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await agent.PostAsJsonAsync("/api/v1/celebrities/api-offer-nobody/offers", Offer("n")), HttpStatusCode.NotFound, "unknown_celebrity");
        Expect(HttpStatusCode.Created, await star.PostAsJsonAsync("/api/v1/celebrities/api-offer-guarded/offers", Offer("by-star")));
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync("/api/v1/celebrities/api-offer-guarded/offers", Offer("by-agent")));
        await ExpectProblemAsync(await agent.PostAsync("/api/v1/admin/celebrities/api-offer-guarded/offers/by-agent/accept", null), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.DeleteAsync("/api/v1/celebrities/api-offer-guarded/offers/by-agent"), HttpStatusCode.Forbidden, "forbidden");
        Expect(HttpStatusCode.OK, await agent.DeleteAsync("/api/v1/celebrities/api-offer-guarded/offers/by-star"));
        var declined = await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-offer-guarded/offers/by-agent/decline", new { note = "not this quarter" });
        await ExpectProblemAsync(await op.PostAsync("/api/v1/admin/celebrities/api-offer-guarded/offers/by-agent/accept", null), HttpStatusCode.Conflict, "offer_decided");
        await ExpectProblemAsync(await op.PostAsync("/api/v1/admin/celebrities/api-offer-guarded/offers/never/decline", null), HttpStatusCode.NotFound, "unknown_offer");
        var offers = await agent.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-offer-guarded/offers");

        Expect(HttpStatusCode.OK, declined);
        var declinedOffer = await declined.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("declined", "not this quarter"), (declinedOffer.GetProperty("status").GetString(), declinedOffer.GetProperty("decisionNote").GetString()));
        Assert.Equal(["declined", "withdrawn"], offers.EnumerateArray().Select(o => o.GetProperty("status").GetString()).Order());
        var profile = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-offer-guarded");
        Assert.Equal(100L, profile.GetProperty("celebrity").GetProperty("issuedSeconds").GetInt64());
    }

    [Fact]
    public async Task An_operator_counters_an_offer_and_the_agent_accepting_it_sells_the_time_on_the_counter_terms_once()
    {
        const string Star = "api-counter-star", Offers = "/api/v1/celebrities/api-counter-star/offers", Admin = "/api/v1/admin/celebrities/api-counter-star/offers";
        await host.ListAndIssueAsync(Star, 100, 300);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-counter-star", "celebrity"));
        using var otherStar = host.Client(await host.CreateKeyAsync("api-counter-someone-else", "celebrity"));
        using var op = host.Operator();
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/deposits", new { idempotencyKey = "api-counter-cash", amountFen = 400 * 280 }));
        var payoutBefore = (await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts")).GetProperty("cashAvailableFen").GetInt64();
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync(Offers, new { offerId = "summer", seconds = 500, priceFen = 320, note = "summer" }));

        // Not yet countered: the agent has nothing to accept.
        await ExpectProblemAsync(await agent.PostAsync(Offers + "/summer/accept", null), HttpStatusCode.Conflict, "offer_not_countered");
        var countered = await op.PostAsJsonAsync(Admin + "/summer/counter", new { seconds = 400, priceFen = 280, note = "400 s at 2.80" });
        var counteredAgain = await op.PostAsJsonAsync(Admin + "/summer/counter", new { seconds = 400, priceFen = 280, note = "400 s at 2.80" });
        var waiting = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/offers");
        // The first terms are off the table while the counter stands.
        await ExpectProblemAsync(await op.PostAsync(Admin + "/summer/accept", null), HttpStatusCode.Conflict, "offer_countered");
        await ExpectProblemAsync(await otherStar.PostAsync(Offers + "/summer/accept", null), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await op.PostAsJsonAsync(Admin + "/summer/counter", new { seconds = 0, priceFen = 280 }), HttpStatusCode.BadRequest, "invalid_quantity");
        await ExpectProblemAsync(await op.PostAsJsonAsync(Admin + "/summer/counter", new { seconds = 10, priceFen = -5 }), HttpStatusCode.BadRequest, "invalid_price");
        await ExpectProblemAsync(await op.PostAsJsonAsync(Admin + "/never/counter", new { seconds = 10, priceFen = 5 }), HttpStatusCode.NotFound, "unknown_offer");
        var accepted = await agent.PostAsync(Offers + "/summer/accept", null);
        var acceptedAgain = await agent.PostAsync(Offers + "/summer/accept", null);
        await host.SettleAsync();

        Expect(HttpStatusCode.OK, countered);
        var counter = await countered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("countered", 500L, 400L, 280L, "400 s at 2.80"), (counter.GetProperty("status").GetString(), counter.GetProperty("seconds").GetInt64(),
            counter.GetProperty("counter").GetProperty("seconds").GetInt64(), counter.GetProperty("counter").GetProperty("priceFen").GetInt64(),
            counter.GetProperty("counter").GetProperty("note").GetString()));
        Expect(HttpStatusCode.OK, counteredAgain);
        Assert.Equal("countered", waiting.EnumerateArray().Single(o => o.GetProperty("offerId").GetString() == "summer").GetProperty("status").GetString());
        Expect(HttpStatusCode.OK, accepted);
        var decision = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("accepted", 400L, 280L), (decision.GetProperty("offer").GetProperty("status").GetString(),
            decision.GetProperty("issuance").GetProperty("seconds").GetInt64(), decision.GetProperty("issuance").GetProperty("priceFen").GetInt64()));
        Expect(HttpStatusCode.OK, acceptedAgain);
        // Bought once, on the counter's terms: 400 s more issued, 400 x 2.80 paid.
        Assert.Equal(500L, (await host.Client().GetFromJsonAsync<JsonElement>($"/api/v1/celebrities/{Star}")).GetProperty("celebrity").GetProperty("issuedSeconds").GetInt64());
        Assert.Equal(400L * 280, (await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts")).GetProperty("cashAvailableFen").GetInt64() - payoutBefore);
        await ExpectProblemAsync(await op.PostAsJsonAsync(Admin + "/summer/counter", new { seconds = 10, priceFen = 5 }), HttpStatusCode.Conflict, "offer_decided");
        Assert.True((await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit")).GetProperty("passed").GetBoolean());
    }

    [Theory]
    [InlineData(1, "{\"seconds\":0,\"priceFen\":300}", HttpStatusCode.BadRequest, "invalid_quantity")]
    [InlineData(2, "{\"seconds\":10,\"priceFen\":-1}", HttpStatusCode.BadRequest, "invalid_price")]
    [InlineData(3, "{\"seconds\":9223372036854775807,\"priceFen\":2}", HttpStatusCode.UnprocessableEntity, "notional_too_large")]
    [InlineData(4, "{\"seconds\":10}", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData(5, "{\"seconds\":10,\"priceFen\":300", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData(6, "{\"seconds\":\"ten\",\"priceFen\":300}", HttpStatusCode.BadRequest, "invalid_request")]
    public async Task A_malformed_offer_gets_a_clear_error_and_leaves_nothing(int number, string body, HttpStatusCode status, string code)
    {
        var star = $"api-offer-bad-{number}";
        await host.ListAndIssueAsync(star, 100, 300);
        using var agent = host.Client(await host.CreateKeyAsync("agent-" + star, "celebrity"));

        var response = await agent.PostAsync($"/api/v1/celebrities/{star}/offers", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ExpectProblemAsync(response, status, code);
        Assert.Empty((await agent.GetFromJsonAsync<JsonElement>($"/api/v1/celebrities/{star}/offers")).EnumerateArray());
    }
}
