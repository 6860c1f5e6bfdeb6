using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Exchange.Abstractions.Http;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>The payment provider's notifications, sent as the provider would: signed with the shared secret.</summary>
public class PaymentApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static string Notification(string paymentId, string accountId, long amountFen, string status = "succeeded") =>
        JsonSerializer.Serialize(new { paymentId, accountId, amountFen, status });

    private async Task<HttpResponseMessage> SendAsync(string body, string? signature)
    {
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/notifications") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(PaymentSignature.Header, signature);
        }

        return await client.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendSignedAsync(string body, DateTimeOffset? signedAt = null, string secret = ApiHost.PaymentSecret) =>
        SendAsync(body, PaymentSignature.Sign(secret, (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), body));

    private async Task<long> CashAsync(string accountId)
    {
        using var op = host.Operator();
        using var response = await op.GetAsync($"/api/v1/admin/accounts/{accountId}/wallet");
        // An account that never held anything (nor has a key) does not exist: it holds nothing.
        return response.StatusCode == HttpStatusCode.NotFound ? 0
            : (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cashAvailableFen").GetInt64();
    }

    [Fact]
    public async Task A_succeeded_payment_credits_the_fan_once_however_often_it_is_notified_and_the_audit_counts_it()
    {
        using var fan = host.Client(await host.CreateKeyAsync("pay-fan"));
        var body = Notification("pay-once-1", "pay-fan", 25_000);

        var first = await SendSignedAsync(body);
        var again = await SendSignedAsync(body);

        Expect(HttpStatusCode.OK, first);
        var receipt = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(receipt.GetProperty("credited").GetBoolean());
        var replay = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (replay.GetProperty("credited").GetBoolean(), replay.GetProperty("replayed").GetBoolean()));
        Assert.Equal(25_000, await CashAsync("pay-fan"));
        var listed = Assert.Single((await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/payments")).EnumerateArray());
        Assert.Equal(("pay-once-1", 25_000L), (listed.GetProperty("paymentId").GetString(), listed.GetProperty("amountFen").GetInt64()));
        await host.SettleAsync();
    }

    [Fact]
    public async Task The_same_payment_id_for_another_account_or_amount_credits_nothing()
    {
        await host.CreateKeyAsync("pay-first-fan");
        await host.CreateKeyAsync("pay-other-fan");
        Expect(HttpStatusCode.OK, await SendSignedAsync(Notification("pay-conflict-1", "pay-first-fan", 1_000)));

        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-conflict-1", "pay-other-fan", 1_000)), HttpStatusCode.Conflict, "payment_conflict");
        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-conflict-1", "pay-first-fan", 9_000)), HttpStatusCode.Conflict, "payment_conflict");

        Assert.Equal(1_000, await CashAsync("pay-first-fan"));
        Assert.Equal(0, await CashAsync("pay-other-fan"));
    }

    [Fact]
    public async Task A_payment_for_an_account_that_does_not_exist_is_refused_until_its_key_is_made_then_credited_once()
    {
        var body = Notification("pay-early-1", "pay-not-yet-fan", 8_000);

        var early = await ExpectProblemAsync(await SendSignedAsync(body), HttpStatusCode.NotFound, "unknown_account");
        Assert.Equal(0, await CashAsync("pay-not-yet-fan"));
        await host.CreateKeyAsync("pay-not-yet-fan");
        var retried = await SendSignedAsync(body); // the provider retries a refused notification

        Assert.Contains("pay-not-yet-fan", early.GetProperty("detail").GetString());
        Expect(HttpStatusCode.OK, retried);
        Assert.True((await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credited").GetBoolean());
        Assert.Equal(8_000, await CashAsync("pay-not-yet-fan"));
        await host.SettleAsync();
    }

    [Fact]
    public async Task Unsigned_forged_tampered_or_stale_notifications_are_refused_and_credit_nothing()
    {
        await host.CreateKeyAsync("pay-target-fan");
        var body = Notification("pay-forged-1", "pay-target-fan", 50_000);
        var signedNow = PaymentSignature.Sign(ApiHost.PaymentSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);

        await ExpectProblemAsync(await SendAsync(body, null), HttpStatusCode.Unauthorized, "invalid_signature");
        await ExpectProblemAsync(await SendAsync(body, "t=1,v1=zz"), HttpStatusCode.Unauthorized, "invalid_signature");
        await ExpectProblemAsync(await SendSignedAsync(body, secret: "someone-elses-secret-0123456789abcdef"), HttpStatusCode.Unauthorized, "invalid_signature");
        await ExpectProblemAsync(await SendAsync(body.Replace("50000", "90000", StringComparison.Ordinal), signedNow), HttpStatusCode.Unauthorized, "invalid_signature");
        var stale = await ExpectProblemAsync(await SendSignedAsync(body, DateTimeOffset.UtcNow.AddMinutes(-10)), HttpStatusCode.Unauthorized, "invalid_signature");
        Assert.Contains("too long ago", stale.GetProperty("detail").GetString());

        Assert.Equal(0, await CashAsync("pay-target-fan"));
    }

    [Fact]
    public async Task Payments_not_yet_succeeded_bad_fields_and_system_accounts_credit_nothing()
    {
        await host.CreateKeyAsync("pay-waiting-fan");
        var pending = await SendSignedAsync(Notification("pay-pending-1", "pay-waiting-fan", 3_000, "pending"));
        Expect(HttpStatusCode.OK, pending);
        Assert.False((await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credited").GetBoolean());

        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-bad-1", "pay-waiting-fan", 0)), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-bad-2", "pay-waiting-fan", -5)), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-bad-3", "pay-waiting-fan", 10_000_001)), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-bad-4", "platform:treasury", 1_000)), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await SendSignedAsync(Notification("pay-bad-5", "pay-waiting-fan", 1_000, "refunded")), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await SendSignedAsync("""{"paymentId":"pay-bad-6","accountId":"pay-waiting-fan","amountFen":1000,"status":"succeeded","extra":1}"""),
            HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await SendSignedAsync("""{"paymentId":"pay-bad-7","accountId":"pay-waiting-fan","""), HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(0, await CashAsync("pay-waiting-fan"));
    }

    [Fact]
    public void The_signature_check_refuses_malformed_headers_and_takes_either_signature_while_a_secret_rotates()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var signed = PaymentSignature.Sign(ApiHost.PaymentSecret, now.ToUnixTimeSeconds(), "{}");
        string?[] malformed = [null, "", "t=abc," + signed.Split(',')[1], signed.Split(',')[1], signed.Split(',')[0], signed[..^2], "t=1700000000,v1=00"];

        Assert.All(malformed, header => Assert.NotNull(PaymentSignature.Problem(header, "{}", ApiHost.PaymentSecret, now, TimeSpan.FromMinutes(5))));
        Assert.Null(PaymentSignature.Problem(signed, "{}", ApiHost.PaymentSecret, now, TimeSpan.FromMinutes(5)));
        Assert.Null(PaymentSignature.Problem(signed + ",v1=" + new string('a', 64), "{}", ApiHost.PaymentSecret, now, TimeSpan.FromMinutes(5)));
        Assert.NotNull(PaymentSignature.Problem(signed, "{}", ApiHost.PaymentSecret, now.AddMinutes(6), TimeSpan.FromMinutes(5)));
    }
}
