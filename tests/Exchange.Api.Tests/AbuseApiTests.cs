using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Npgsql;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>Fuzzing, injection, revoked keys, retries and secrets: nothing gets in, nothing changes, nothing leaks.</summary>
public class AbuseApiTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private string _emptyFan = "";
    private string _revoked = "";

    public async Task InitializeAsync() => (_emptyFan, _revoked) = await SetupAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string, string)> SetupAsync()
    {
        var joined = await host.OnceAsync("abuse", async () =>
        {
            await host.ListAndIssueAsync("abuse-star", 1_000, 100);
            var empty = await host.CreateKeyAsync("abuse-empty-fan");
            var revoked = await host.CreateKeyAsync("abuse-revoked-fan");
            using var op = host.Operator();
            Expect(HttpStatusCode.NoContent, await op.DeleteAsync($"/api/v1/admin/keys/{revoked.Split('_')[1]}"));
            return empty + " " + revoked;
        });
        var parts = joined.Split(' ');
        return (parts[0], parts[1]);
    }

    private static readonly string[] Paths =
    [
        "/api/v1/orders", "/api/v1/orders/{x}", "/api/v1/wallet", "/api/v1/wallet/history", "/api/v1/wallet/trades", "/api/v1/bookings",
        "/api/v1/celebrities", "/api/v1/celebrities/{x}", "/api/v1/celebrities/{x}/book", "/api/v1/celebrities/{x}/trades",
        "/api/v1/celebrities/{x}/candles", "/api/v1/celebrities/{x}/slots", "/api/v1/celebrities/{x}/slots/{x}/booking",
        "/api/v1/celebrities/{x}/chats", "/api/v1/admin/audit", "/api/v1/admin/accounts/{x}/deposits", "/api/v1/admin/keys", "/{x}",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
        Gen.String[0, 40],
        Gen.OneOfConst("abuse-star", "'; DROP TABLE exchange.api_keys; --", "..", "%00", "%2e%2e%2f", "ünïcødé", "a b", "9999999999999999999999", "-1", "null", new string('x', 300)));

    private static readonly Gen<string> JsonValue = Gen.OneOf(
        Gen.Long.Select(v => v.ToString()),
        Gen.Double.Select(v => double.IsFinite(v) ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e400"),
        Hostile.Select(v => JsonSerializer.Serialize(v)),
        Gen.OneOfConst("true", "false", "null", "[]", "{}", "\"buy\"", "\"market\"", "1e400", "-0", "[1,2,"));

    private static readonly Gen<string> Body = Gen.OneOf(
        Gen.Select(Gen.OneOfConst("clientOrderId", "celebrityId", "side", "type", "timeInForce", "priceFen", "quantity", "amountFen", "idempotencyKey", "seconds", "redemptionId", "zzz"), JsonValue)
            .Array[0, 8].Select(fields => "{" + string.Join(",", fields.Select(f => $"\"{f.Item1}\":{f.Item2}")) + "}"),
        JsonValue,
        Hostile);

    [Fact]
    public async Task Random_and_hostile_requests_never_get_a_500_and_change_nothing()
    {
        using var fan = host.Client(_emptyFan);
        using var anonymous = host.Client();
        var before = await fan.GetStringAsync("/api/v1/wallet");
        var statuses = new List<int>();

        var requests = Gen.Select(Gen.OneOfConst("GET", "POST", "DELETE", "PUT", "PATCH"), Gen.OneOfConst(Paths), Hostile, Body,
            Gen.OneOfConst("application/json", "text/plain", "application/json; charset=utf-16", ""), Gen.Int[0, 3]);
        requests.Sample(sample =>
        {
            var (method, template, segment, body, contentType, auth) = sample;
            var path = template.Replace("{x}", Uri.EscapeDataString(segment));
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is not "GET" and not "DELETE")
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = contentType.Length == 0 ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            }

            if (auth == 1)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Uri.EscapeDataString(segment));
            }
            else if (auth == 2)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _revoked);
            }

            var client = auth == 3 ? fan : anonymous;
            using var response = client.SendAsync(request).GetAwaiter().GetResult();
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            lock (statuses)
            {
                statuses.Add((int)response.StatusCode);
            }

            Assert.True((int)response.StatusCode < 500, $"{method} {path} [{contentType}] {body} -> {(int)response.StatusCode} {text}");
            if ((int)response.StatusCode >= 400 && text.Length > 0)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }, iter: 400, threads: 1);

        Assert.Equal(before, await fan.GetStringAsync("/api/v1/wallet"));
        Assert.Contains(statuses, s => s is >= 400 and < 500);
        await host.SettleAsync();
    }

    [Theory]
    [MemberData(nameof(SecurityApiTests.FanEndpoints), MemberType = typeof(SecurityApiTests))]
    [MemberData(nameof(SecurityApiTests.OperatorEndpoints), MemberType = typeof(SecurityApiTests))]
    public async Task A_revoked_key_is_refused_on_every_private_endpoint(string method, string path)
    {
        using var client = host.Client(_revoked);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        await ExpectProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Sql_injection_in_every_string_field_is_just_data()
    {
        string[] attacks = ["'; DROP TABLE exchange.api_keys; --", "\" OR 1=1 --", "x'); DELETE FROM orleansstorage; --", "$$; TRUNCATE exchange.trade_journal; $$"];
        var keysBefore = await CountAsync("SELECT count(*) FROM exchange.api_keys");
        var storageBefore = await CountAsync("SELECT count(*) FROM orleansstorage");
        using var op = host.Operator();
        using var fan = host.Client(_emptyFan);

        foreach (var attack in attacks)
        {
            var escaped = Uri.EscapeDataString(attack);
            var responses = new[]
            {
                await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = attack, celebrityId = attack, side = "buy", priceFen = 100, quantity = 1 }),
                await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = attack, celebrityId = "abuse-star", side = "buy", priceFen = 100, quantity = 1 }),
                await fan.GetAsync($"/api/v1/orders/{escaped}"),
                await fan.DeleteAsync($"/api/v1/orders/{escaped}"),
                await fan.PostAsync($"/api/v1/celebrities/abuse-star/slots/{escaped}/booking", null),
                await fan.PostAsJsonAsync("/api/v1/celebrities/abuse-star/chats", new { redemptionId = attack, seconds = 1 }),
                await op.PostAsJsonAsync($"/api/v1/admin/accounts/{escaped}/deposits", new { idempotencyKey = attack, amountFen = 1 }),
                await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = attack, role = attack }),
                await op.PostAsJsonAsync("/api/v1/admin/celebrities", new { celebrityId = attack, displayName = attack, category = attack, agentId = attack, followers = 1, averageViewsPerPost = 1 }),
                await op.DeleteAsync($"/api/v1/admin/keys/{escaped}"),
                await host.Client().GetAsync($"/api/v1/celebrities/{escaped}/trades"),
            };

            Assert.All(responses, r => Assert.InRange((int)r.StatusCode, 400, 499));
        }

        Assert.Equal(keysBefore, await CountAsync("SELECT count(*) FROM exchange.api_keys"));
        Assert.True(await CountAsync("SELECT count(*) FROM orleansstorage") >= storageBefore);
        Assert.True(await CountAsync("SELECT count(*) FROM exchange.trade_journal") >= 0);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes_and_never_logged()
    {
        var token = await host.CreateKeyAsync("abuse-hash-check");
        using var fan = host.Client(token);
        Expect(HttpStatusCode.OK, await fan.GetAsync("/api/v1/wallet"));
        var (keyId, secret) = (token.Split('_')[1], token[(token.IndexOf('_', 3) + 1)..]);

        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT secret_hash, row_to_json(k)::text FROM exchange.api_keys k WHERE key_id = @id", connection);
        command.Parameters.AddWithValue("id", keyId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(32, ((byte[])reader[0]).Length);
        Assert.DoesNotContain(secret, reader.GetString(1));

        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(secret) || line.Contains(host.OperatorToken[10..]));
    }

    [Fact]
    public async Task A_client_retrying_the_same_order_at_once_places_it_exactly_once()
    {
        using var fan = host.Client(await host.CreateKeyAsync("abuse-retry-fan"));
        await host.FundAsync("abuse-retry-fan", 10_000);
        var body = new { clientOrderId = "retry-1", celebrityId = "abuse-star", side = "buy", priceFen = 95, quantity = 10 };

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fan.PostAsJsonAsync("/api/v1/orders", body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("orderId").GetString()));
        Assert.Single(ids.Distinct());
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal(950, wallet.GetProperty("cashReservedFen").GetInt64());
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
