using System.Net;

namespace Exchange.Api.Tests;

/// <summary>
/// Anonymous clients are told apart by their address: behind a trusted proxy, by the address it forwards; otherwise by
/// the connection's, whatever X-Forwarded-For a client sends.
/// </summary>
public class ClientAddressTests
{
    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_a_rate_limit_of_its_own()
    {
        await using var silo = await ApiHost.StartAsync("--Exchange:Api:TrustedProxies:0=127.0.0.0/8");
        Assert.Equal(HttpStatusCode.TooManyRequests, await ExhaustAsync(silo, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await AnonymousGetAsync(silo, "203.0.113.8"));
    }

    [Fact]
    public async Task A_forwarded_address_from_a_peer_that_is_not_a_trusted_proxy_is_ignored()
    {
        await using var silo = await ApiHost.StartAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, await ExhaustAsync(silo, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AnonymousGetAsync(silo, "203.0.113.8"));

        // Without a key the limit is the address's, and the refusal says so rather than blame a key never sent.
        using var client = silo.Client();
        var limited = await ApiSession.ExpectProblemAsync(await client.GetAsync("/api/v1/celebrities"), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.StartsWith("Too many requests from this address", limited.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Anonymous requests said to come from <paramref name="address"/> until one is refused: its status.</summary>
    private static async Task<HttpStatusCode> ExhaustAsync(ApiHost silo, string address)
    {
        for (var i = 0; i <= ApiHost.RateLimitPermits; i++)
        {
            if (await AnonymousGetAsync(silo, address) is var status and not HttpStatusCode.OK)
            {
                return status;
            }
        }

        return HttpStatusCode.OK;
    }

    private static async Task<HttpStatusCode> AnonymousGetAsync(ApiHost silo, string forwardedFor)
    {
        using var client = silo.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/celebrities");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
