using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Exchange.Abstractions.Http;
using Exchange.Client.Api;
using Exchange.Client.Cli;
using Spectre.Console;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>Replacing one's own key with a token the caller made, so that a lost answer cannot lock it out.</summary>
public class KeyRotationTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_caller_chooses_its_new_key_and_the_same_request_from_another_of_its_keys_is_a_replay()
    {
        var first = await host.CreateKeyAsync("rot-chooser");
        var second = await host.CreateKeyAsync("rot-chooser");
        var chosen = ApiKeyToken.Create();
        using var firstClient = host.Client(first);
        using var secondClient = host.Client(second);

        var created = await firstClient.PostAsJsonAsync("/api/v1/me/key", new { token = chosen.Token });
        var replayed = await secondClient.PostAsJsonAsync("/api/v1/me/key", new { token = chosen.Token });

        Expect(HttpStatusCode.Created, created);
        Expect(HttpStatusCode.OK, replayed);
        foreach (var answer in new[] { created, replayed })
        {
            var key = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((chosen.KeyId, "rot-chooser", "fan", chosen.Token),
                (key.GetProperty("keyId").GetString(), key.GetProperty("accountId").GetString(), key.GetProperty("role").GetString(), key.GetProperty("token").GetString()));
        }

        using var fresh = host.Client(chosen.Token);
        Expect(HttpStatusCode.OK, await fresh.GetAsync("/api/v1/wallet"));
        await ExpectProblemAsync(await firstClient.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
        await ExpectProblemAsync(await secondClient.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal([chosen.KeyId], await ActiveKeyIdsAsync("rot-chooser"));
    }

    public static TheoryData<string, string> MalformedTokens => new()
    {
        { "no prefix", "xx_0123456789abcdef_" + new string('A', 43) },
        { "upper-case id", "cx_0123456789ABCDEF_" + new string('A', 43) },
        { "short id", "cx_0123456789abcde_" + new string('A', 43) },
        { "short secret", "cx_0123456789abcdef_" + new string('A', 42) },
        { "long secret", "cx_0123456789abcdef_" + new string('A', 44) },
        { "not base64url", "cx_0123456789abcdef_" + new string('+', 43) },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task A_malformed_chosen_token_is_refused_and_the_old_key_keeps_working(string why, string token)
    {
        var account = "rot-malformed-" + why.Replace(' ', '-');
        var old = await host.CreateKeyAsync(account);
        using var client = host.Client(old);

        var problem = await ExpectProblemAsync(await client.PostAsJsonAsync("/api/v1/me/key", new { token }), HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains("43 base64url characters", problem.GetProperty("detail").GetString());
        await AssertOnlyKeyAsync(account, old);
    }

    [Fact]
    public async Task Choosing_the_key_the_request_is_sent_with_or_one_another_key_has_changes_nothing()
    {
        var old = await host.CreateKeyAsync("rot-taken");
        var someoneElses = await host.CreateKeyAsync("rot-taken-other");
        using var client = host.Client(old);
        ApiKeyToken.TryParse(someoneElses, out var otherKeyId, out _);
        var sameIdOtherSecret = $"cx_{otherKeyId}_{ApiKeyToken.Create().Token.Split('_', 3)[2]}";

        var itself = await ExpectProblemAsync(await client.PostAsJsonAsync("/api/v1/me/key", new { token = old }), HttpStatusCode.BadRequest, "invalid_request");
        var taken = await ExpectProblemAsync(await client.PostAsJsonAsync("/api/v1/me/key", new { token = sameIdOtherSecret }), HttpStatusCode.Conflict, "duplicate_request");
        var stolen = await ExpectProblemAsync(await client.PostAsJsonAsync("/api/v1/me/key", new { token = someoneElses }), HttpStatusCode.Conflict, "duplicate_request");

        Assert.Contains("this request was sent with", itself.GetProperty("detail").GetString());
        Assert.Contains(otherKeyId, taken.GetProperty("detail").GetString());
        Assert.Contains(otherKeyId, stolen.GetProperty("detail").GetString());
        await AssertOnlyKeyAsync("rot-taken", old);
        await AssertOnlyKeyAsync("rot-taken-other", someoneElses);
    }

    [Fact]
    public async Task A_body_that_is_not_a_key_request_is_refused_and_changes_nothing()
    {
        var old = await host.CreateKeyAsync("rot-bad-json");
        using var client = host.Client(old);

        Expect(HttpStatusCode.BadRequest, await client.PostAsync("/api/v1/me/key", new StringContent("{\"token\": 5}", System.Text.Encoding.UTF8, "application/json")));
        Expect(HttpStatusCode.BadRequest, await client.PostAsync("/api/v1/me/key", new StringContent("{\"token\": ", System.Text.Encoding.UTF8, "application/json")));

        await AssertOnlyKeyAsync("rot-bad-json", old);
    }

    [Fact]
    public async Task An_operator_may_create_a_key_with_a_token_it_made_and_repeat_the_request_without_making_two()
    {
        using var op = host.Operator();
        var chosen = ApiKeyToken.Create();

        var created = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "rot-made-by-op", role = "fan", token = chosen.Token });
        var repeated = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "rot-made-by-op", role = "fan", token = chosen.Token });
        var forAnother = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "rot-made-by-op-2", role = "fan", token = chosen.Token });
        var asCelebrity = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "rot-made-by-op", role = "celebrity", token = chosen.Token });
        var malformed = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "rot-made-by-op-3", role = "fan", token = "cx_short_secret" });

        Expect(HttpStatusCode.Created, created);
        Expect(HttpStatusCode.OK, repeated);
        Assert.Equal(chosen.KeyId, (await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString());
        await ExpectProblemAsync(forAnother, HttpStatusCode.Conflict, "duplicate_request");
        await ExpectProblemAsync(asCelebrity, HttpStatusCode.Conflict, "duplicate_request");
        await ExpectProblemAsync(malformed, HttpStatusCode.BadRequest, "invalid_request");
        await AssertOnlyKeyAsync("rot-made-by-op", chosen.Token);
        Assert.Empty(await ActiveKeyIdsAsync("rot-made-by-op-2"));
        Assert.Empty(await ActiveKeyIdsAsync("rot-made-by-op-3"));
    }

    [Fact]
    public async Task The_client_whose_answer_is_lost_after_the_exchange_replaced_its_key_goes_on_with_the_new_one()
    {
        var old = await host.CreateKeyAsync("rot-lost-answer");
        var losing = new LoseFirstAnswerTo("api/v1/me/key") { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(losing) { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", old);
        var retry = new TransientRetry(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }));
        var chosen = ApiKeyToken.Create();

        var created = await new ExchangeApiClient(http, retry).RotateKeyAsync(chosen.Token);

        Assert.Equal(1, losing.Lost);
        Assert.Equal((chosen.KeyId, "rot-lost-answer", "fan", chosen.Token), (created.KeyId, created.AccountId, created.Role, created.Token));
        await AssertOnlyKeyAsync("rot-lost-answer", chosen.Token);
    }

    private async Task AssertOnlyKeyAsync(string account, string token)
    {
        ApiKeyToken.TryParse(token, out var keyId, out _);
        Assert.Equal([keyId], await ActiveKeyIdsAsync(account));
        using var client = host.Client(token);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(account, me.GetProperty("accountId").GetString());
    }

    private async Task<string[]> ActiveKeyIdsAsync(string account)
    {
        using var op = host.Operator();
        var keys = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/keys?accountId=" + account);
        return keys.EnumerateArray().Where(key => key.GetProperty("revokedAt").ValueKind == JsonValueKind.Null)
            .Select(key => key.GetProperty("keyId").GetString()!).ToArray();
    }

    /// <summary>Lets the first request to a path reach the exchange, then loses its answer as a cut connection would.</summary>
    private sealed class LoseFirstAnswerTo(string path) : DelegatingHandler
    {
        public int Lost { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Lost == 0 && request.RequestUri!.AbsolutePath.EndsWith(path, StringComparison.Ordinal))
            {
                Lost++;
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The answer was lost on the way.");
            }

            return response;
        }
    }
}
