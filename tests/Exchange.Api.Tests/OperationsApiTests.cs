using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Exchange.Abstractions.Http;
using Exchange.Cluster.Tests.Infrastructure;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class OperationsApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Operators_see_silos_and_activations_and_a_single_silo_has_nothing_to_rebalance()
    {
        await host.ListAndIssueAsync("ops-star", 100, 100);
        using var op = host.Operator();

        var silos = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/cluster/silos");
        var activations = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/cluster/activations");
        var rebalance = await (await op.PostAsync("/api/v1/admin/cluster/rebalance", null)).Content.ReadFromJsonAsync<JsonElement>();

        var silo = Assert.Single(silos.EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        // Its build: at least the versions of the exchange's ten stateful grain interfaces, and the newest, being alone.
        Assert.True(silo.GetProperty("build").GetInt32() >= 10, silo.ToString());
        Assert.True(silo.GetProperty("newestBuild").GetBoolean());
        Assert.Contains(activations.EnumerateArray(), a => a.GetProperty("grainType").GetString()!.Contains("OrderBookGrain") && a.GetProperty("activations").GetInt32() > 0);
        Assert.Equal(0, rebalance.GetProperty("moved").GetInt32());
    }

    [Fact]
    public async Task Operators_see_the_commission_per_trading_day_and_per_celebrity_and_fans_may_not()
    {
        await host.ListAndIssueAsync("fee-star", 100, 250);
        using var fan = host.Client(await host.CreateKeyAsync("fee-fan"));
        await host.FundAsync("fee-fan", 100_000);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "fee", celebrityId = "fee-star", side = "buy", priceFen = 250, quantity = 7 }));
        await host.SettleAsync();
        using var op = host.Operator();

        var report = await op.GetFromJsonAsync<CommissionReport>("/api/v1/admin/commission?days=3&top=1000", Json);

        // 7 s at 2.50 CNY: 17.50 CNY, 3% of it 0.525, rounded half up to 53 fen, paid by the treasury as seller.
        Assert.Contains(report!.TopCelebrities, c => c.CelebrityId == "fee-star" && c.Fen == 53);
        Assert.Equal(report.TotalFen, report.TopCelebrities.Sum(c => c.Fen));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Contains(report.ByDay, day => (day.Day == today || day.Day == today.AddDays(-1)) && day.Fen >= 53);
        Assert.True(report.ByDay.Count <= 3);
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync("/api/v1/admin/commission")).StatusCode);
    }

    [Fact]
    public async Task The_orleans_dashboard_is_mounted_for_operators_only_and_accepts_the_key_cookie()
    {
        using var op = host.Operator();
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("Cookie", "exchange_key=" + host.OperatorToken);

        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/dashboard/")).StatusCode);
        using var fan = host.Client(await host.CreateKeyAsync("dash-fan"));
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync("/dashboard/")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/audit")]
    [InlineData("POST", "/api/v1/admin/cluster/rebalance")]
    [InlineData("GET", "/api/v1/wallet")]
    public async Task The_key_cookie_opens_the_dashboard_only_so_other_sites_cannot_act_through_a_browser(string method, string path)
    {
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Cookie", "exchange_key=" + host.OperatorToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(request)).StatusCode);
    }
}
