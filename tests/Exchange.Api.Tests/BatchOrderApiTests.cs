using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Exchange.Abstractions.Http;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>Several orders in one request, for a market maker quoting many celebrities.</summary>
public class BatchOrderApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static object Limit(string clientOrderId, string celebrityId, string side, long priceFen, long quantity) =>
        new { clientOrderId, celebrityId, side, priceFen, quantity };

    [Fact]
    public async Task A_batch_places_each_order_in_turn_and_says_what_became_of_each_one_refused_stopping_none()
    {
        await host.ListAndIssueAsync("batch-one", 100, 500);
        await host.ListAndIssueAsync("batch-two", 100, 800);
        using var fan = host.Client(await host.CreateKeyAsync("batch-fan"));
        await host.FundAsync("batch-fan", 10_000);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", Limit("b-earlier", "batch-one", "buy", 480, 1)));

        var answer = await fan.PostAsJsonAsync("/api/v1/orders/batch", new
        {
            orders = new[]
            {
                Limit("b-1", "batch-one", "buy", 490, 5),
                Limit("b-earlier", "batch-one", "buy", 480, 1),
                new { clientOrderId = "b-2", celebrityId = "batch-two", side = "buy", quantity = 1L } as object,
                Limit("b-3", "batch-two", "buy", 790, 100),
                Limit("b-4", "batch-two", "buy", 790, 2),
            },
        });

        Expect(HttpStatusCode.OK, answer);
        var outcomes = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([201, 200, 400, 422, 201], outcomes.Select(outcome => outcome.GetProperty("status").GetInt32()));
        Assert.Equal([null, null, "invalid_price", "insufficient_funds", null],
            outcomes.Select(outcome => outcome.TryGetProperty("code", out var code) ? code.GetString() : null));
        Assert.Equal(["b-1", "b-earlier", "b-4"], new[] { 0, 1, 4 }.Select(i => outcomes[i].GetProperty("placed").GetProperty("order").GetProperty("clientOrderId").GetString()));
        var open = (await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders"))!.Select(order => order.GetProperty("clientOrderId").GetString()).Order();
        Assert.Equal(["b-1", "b-4", "b-earlier"], open);
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal(480 + 5 * 490 + 2 * 790, wallet.GetProperty("cashReservedFen").GetInt64());
    }

    [Fact]
    public async Task An_empty_or_oversized_batch_is_refused_whole()
    {
        await host.ListAndIssueAsync("batch-size", 100, 500);
        using var fan = host.Client(await host.CreateKeyAsync("batch-size-fan"));
        await host.FundAsync("batch-size-fan", 1_000_000);

        var empty = await fan.PostAsJsonAsync("/api/v1/orders/batch", new { orders = Array.Empty<object>() });
        var oversized = await fan.PostAsJsonAsync("/api/v1/orders/batch",
            new { orders = Enumerable.Range(0, BatchOrderRequest.MaxOrders + 1).Select(i => Limit($"s-{i}", "batch-size", "buy", 490, 1)).ToArray() });

        await ExpectProblemAsync(empty, HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(oversized, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Empty((await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders"))!);
    }

    [Fact]
    public async Task Each_order_of_a_batch_counts_against_the_rate_limit_and_a_batch_that_does_not_fit_places_nothing()
    {
        await using var silo = await ApiHost.StartAsync("--Exchange:Api:RateLimitPermits=10");
        await silo.ListAndIssueAsync("batch-limited", 100, 500);
        var token = await silo.CreateKeyAsync("batch-limited-fan");
        await silo.FundAsync("batch-limited-fan", 1_000_000);
        using var fan = silo.Client(token);

        var tooBig = await fan.PostAsJsonAsync("/api/v1/orders/batch",
            new { orders = Enumerable.Range(0, 12).Select(i => Limit($"l-{i}", "batch-limited", "buy", 490, 1)).ToArray() });
        var fits = await fan.PostAsJsonAsync("/api/v1/orders/batch",
            new { orders = Enumerable.Range(0, 4).Select(i => Limit($"f-{i}", "batch-limited", "buy", 490, 1)).ToArray() });

        await ExpectProblemAsync(tooBig, HttpStatusCode.TooManyRequests, "rate_limited");
        Expect(HttpStatusCode.OK, fits);
        Assert.Equal(4, (await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders"))!.Length);
        // The batch took four permits at once (its request's and three more), and says so.
        Assert.InRange(int.Parse(fits.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture), 0, 10 - 4);
    }
}
