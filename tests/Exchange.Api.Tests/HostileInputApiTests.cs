using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>Whatever arrives, the answer is a 4xx problem (never a 500) and nothing changes.</summary>
public class HostileInputApiTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private string _token = "";

    public async Task InitializeAsync() => _token = await host.OnceAsync("hostile", async () =>
    {
        await host.ListAndIssueAsync("hostile-star", 1_000, 1_000);
        var token = await host.CreateKeyAsync("hostile-fan");
        await host.FundAsync("hostile-fan", 50_000);
        return token;
    });

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, int, string> BadOrderBodies => new()
    {
        { "malformed JSON", "{\"clientOrderId\": \"a\", ", 400, "invalid_request" },
        { "not JSON at all", "buy 10 please", 400, "invalid_request" },
        { "a string where a number goes", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":"1000","quantity":1}""", 400, "invalid_request" },
        { "a number beyond 64 bits", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":100000000000000000000000000}""", 400, "invalid_request" },
        { "a fractional quantity", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1.5}""", 400, "invalid_request" },
        { "an unknown field", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1,"discount":99}""", 400, "invalid_request" },
        { "a missing required field", """{"clientOrderId":"a","side":"buy","priceFen":1000,"quantity":1}""", 400, "invalid_request" },
        { "an unknown side", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"steal","priceFen":1000,"quantity":1}""", 400, "invalid_request" },
        { "an enum as a number", """{"clientOrderId":"a","celebrityId":"hostile-star","side":0,"priceFen":1000,"quantity":1}""", 400, "invalid_request" },
        { "a null body", "null", 400, "invalid_request" },
        { "a field given twice, the second within the fan's cash", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1000,"quantity":1}""", 400, "invalid_request" },
        { "a zero quantity", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":0}""", 400, "invalid_quantity" },
        { "a negative quantity", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":-10}""", 400, "invalid_quantity" },
        { "a negative price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":-1000,"quantity":1}""", 400, "invalid_price" },
        { "a limit order without a price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","quantity":1}""", 400, "invalid_price" },
        { "a huge price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":9223372036854775807,"quantity":9223372036854775807}""", 422, "notional_too_large" },
        { "a price outside the band", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":5000,"quantity":1}""", 422, "price_outside_band" },
        { "an unknown celebrity", """{"clientOrderId":"a","celebrityId":"nobody","side":"buy","priceFen":1000,"quantity":1}""", 404, "unknown_celebrity" },
        { "a SQL injection as celebrity", """{"clientOrderId":"a","celebrityId":"x'; DROP TABLE exchange.trade_journal; --","side":"buy","priceFen":1000,"quantity":1}""", 404, "unknown_celebrity" },
        { "a SQL injection as client order id", """{"clientOrderId":"'; DELETE FROM orleansstorage; --","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":100}""", 422, "insufficient_funds" },
        { "an empty client order id", """{"clientOrderId":"","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1}""", 400, "invalid_request" },
        { "more cash than the fan has", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":51}""", 422, "insufficient_funds" },
        { "a fractional stop price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"stopPriceFen":1010.5,"quantity":1}""", 400, "invalid_request" },
        { "a zero stop price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"stopPriceFen":0,"quantity":1}""", 400, "invalid_price" },
        { "a negative stop price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"stopPriceFen":-1010,"quantity":1}""", 400, "invalid_price" },
        { "a buy stop at the last price", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"stopPriceFen":1000,"quantity":1}""", 422, "stop_already_reached" },
        { "a stop with more cash than the fan has", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"stopPriceFen":9223372036854775807,"quantity":51}""", 422, "insufficient_funds" },
        { "selling seconds the fan lacks", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"sell","priceFen":1000,"quantity":1}""", 422, "insufficient_seconds" },
    };

    [Theory]
    [MemberData(nameof(BadOrderBodies))]
    public async Task Bad_order_bodies_get_a_problem_and_change_nothing(string why, string body, int status, string code)
    {
        using var fan = host.Client(_token);
        var before = await StateAsync(fan);

        var response = await fan.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ExpectProblemAsync(response, (HttpStatusCode)status, code);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), why);
        Assert.Equal(before, await StateAsync(fan));
    }

    [Theory]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":9.5,"quantity":1}""", "'priceFen' takes a whole number of fen (950 = 9.50 CNY).")]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":"5"}""", "'quantity' takes a whole number of seconds.")]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"steal","priceFen":1000,"quantity":1}""", "'side' takes one of buy, sell.")]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","type":"stop","priceFen":1000,"quantity":1}""", "'type' takes one of limit, market.")]
    [InlineData("""{"clientOrderId":7,"celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1}""", "'clientOrderId' takes a string.")]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000}""", "Required and missing: 'quantity'.")]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1,"discount":99}""", "'discount' is not a field of this request (names are camelCase, as in the OpenAPI document).")]
    [InlineData("""{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":1000,"quantity":1,"quantity":50}""", "'quantity' is given more than once; send each field once.")]
    [InlineData("[]", "The body must be a JSON object, as in the OpenAPI document.")]
    [InlineData("null", "The body must be a JSON object, as in the OpenAPI document.")]
    [InlineData("", "The body must be a JSON object, as in the OpenAPI document.")]
    public async Task A_mistake_in_the_body_is_told_in_the_apis_terms_not_with_dotnet_type_names(string body, string detail)
    {
        using var fan = host.Client(_token);

        var response = await fan.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_clients_mistakes_are_answered_without_logging_an_error()
    {
        using var fan = host.Client(_token);
        foreach (var body in new[] { "{\"clientOrderId\": \"a\", ", "[]", "", """{"clientOrderId":"a","celebrityId":"hostile-star","side":"buy","priceFen":"ten","quantity":1}""" })
        {
            await ExpectProblemAsync(await fan.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid_request");
        }

        Assert.DoesNotContain(host.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_as_unsupported_media_type()
    {
        using var fan = host.Client(_token);

        var response = await fan.PostAsync("/api/v1/orders", new StringContent("quantity=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ExpectProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task An_oversized_body_is_refused()
    {
        using var fan = host.Client(_token);
        var huge = "{\"clientOrderId\":\"" + new string('x', 200_000) + "\"}";

        var response = await fan.PostAsync("/api/v1/orders", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.True((int)response.StatusCode is 400 or 413, $"got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/celebrities/nobody")]
    [InlineData("/api/v1/celebrities/nobody/book")]
    [InlineData("/api/v1/celebrities/nobody/trades")]
    [InlineData("/api/v1/celebrities/nobody/candles")]
    [InlineData("/api/v1/celebrities/%27%20OR%201%3D1%20--")]
    public async Task Unknown_celebrities_are_404_problems(string path)
    {
        using var client = host.Client();

        await ExpectProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound, "unknown_celebrity");
    }

    [Theory]
    [InlineData("/api/v1/celebrities/hostile-star/book?levels=abc", "'levels' takes a whole number, not 'abc'.")]
    [InlineData("/api/v1/celebrities/hostile-star/trades?limit=99999999999999999999", "'limit' takes a whole number, not '99999999999999999999'.")]
    [InlineData("/api/v1/orders?includeClosed=maybe", "'includeClosed' takes true or false, not 'maybe'.")]
    [InlineData("/api/v1/celebrities?category=wizard", "'category' is one of actor, athlete, musician, gamer, model, entrepreneur, not 'wizard'.")]
    [InlineData("/api/v1/celebrities?traded=often", "'traded' takes true or false, not 'often'.")]
    [InlineData("/api/v1/celebrities?search=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "'search' is at most 100 characters.")]
    public async Task Malformed_query_values_are_400_problems_in_the_apis_terms(string path, string detail)
    {
        using var client = host.Client(_token);

        var problem = await ExpectProblemAsync(await client.GetAsync(path), HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    // A page size out of range is refused rather than quietly changed, so a client never mistakes a short page for the end.
    [Theory]
    [InlineData("/api/v1/celebrities/hostile-star/book?levels=0", "levels", 100)]
    [InlineData("/api/v1/celebrities/hostile-star/trades?limit=-5", "limit", 500)]
    [InlineData("/api/v1/celebrities/hostile-star/trades?limit=501", "limit", 500)]
    [InlineData("/api/v1/celebrities/hostile-star/candles?limit=1441", "limit", 1440)]
    [InlineData("/api/v1/wallet/history?limit=0", "limit", 500)]
    [InlineData("/api/v1/wallet/trades?limit=1000", "limit", 500)]
    public async Task Page_sizes_out_of_range_are_refused_with_the_range(string path, string name, int max)
    {
        using var client = host.Client(_token);

        var problem = await ExpectProblemAsync(await client.GetAsync(path), HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal($"The field {name} must be between 1 and {max}.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Operators_commission_report_refuses_ranges_it_cannot_give()
    {
        using var op = host.Operator();

        await ExpectProblemAsync(await op.GetAsync("/api/v1/admin/commission?days=0"), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.GetAsync("/api/v1/admin/commission?top=1001"), HttpStatusCode.BadRequest, "invalid_request");
        Expect(HttpStatusCode.OK, await op.GetAsync("/api/v1/admin/commission?days=366&top=1000"));
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_problems_too()
    {
        using var fan = host.Client(_token);

        await ExpectProblemAsync(await fan.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
        await ExpectProblemAsync(await fan.PutAsync("/api/v1/wallet", null), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("""{"idempotencyKey":"k","amountFen":-5}""", 400, "invalid_amount")]
    [InlineData("""{"idempotencyKey":"k","amountFen":0}""", 400, "invalid_amount")]
    [InlineData("""{"idempotencyKey":"k","amountFen":"lots"}""", 400, "invalid_request")]
    [InlineData("""{"idempotencyKey":"k","amountFen":9223372036854775807}""", 400, "invalid_amount")]
    public async Task Bad_deposits_are_refused_and_change_nothing(string body, int status, string code)
    {
        using var op = host.Operator();
        using var fan = host.Client(_token);
        var before = await StateAsync(fan);

        var response = await op.PostAsync("/api/v1/admin/accounts/hostile-fan/deposits", new StringContent(body, Encoding.UTF8, "application/json"));

        await ExpectProblemAsync(response, (HttpStatusCode)status, code);
        Assert.Equal(before, await StateAsync(fan));
    }

    [Theory]
    [InlineData("""{"followers":-1,"averageViewsPerPost":50000}""")]
    [InlineData("""{"followers":50000,"averageViewsPerPost":-1}""")]
    public async Task Negative_audience_figures_for_a_listed_celebrity_are_refused_as_such_and_change_nothing(string body)
    {
        using var op = host.Operator();
        async Task<string> AudienceAsync() => (await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/celebrities")).EnumerateArray()
            .Single(entry => entry.GetProperty("celebrityId").GetString() == "hostile-star").ToString();
        var before = await AudienceAsync();

        var response = await op.PostAsync("/api/v1/admin/celebrities/hostile-star/audience", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("0 or more", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await AudienceAsync());
    }

    private static async Task<string> StateAsync(HttpClient fan)
    {
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        var orders = await fan.GetFromJsonAsync<JsonElement>("/api/v1/orders?includeClosed=true");
        return wallet.ToString() + orders;
    }
}
