using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Net;
using System.Text.Json;
using Exchange.Abstractions.Http;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Silo.Api.Auth;
using Xunit.Abstractions;

namespace Exchange.Api.Tests;

/// <summary>Real silo processes sharing one PostgreSQL: trading across silos, a SIGKILL mid-trading, a join and a rebalance,
/// account feeds across silos.</summary>
public class MultiSiloProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<SiloProcess> _silos = [];
    private readonly string _operator = ApiKeyToken.Create().Token;
    private readonly string _clusterId = "process-" + Guid.NewGuid().ToString("N")[..8];
    private string _connectionString = "";
    private string _logFile = "";

    public async Task InitializeAsync()
    {
        _connectionString = await SharedPostgres.NewDatabaseAsync();
        _logFile = Path.Combine(Path.GetTempPath(), $"exchange-{_clusterId}.log");
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        // The silos' log goes with the test's output (shown when it fails) instead of staying in the temp folder.
        if (File.Exists(_logFile))
        {
            output.WriteLine(await File.ReadAllTextAsync(_logFile));
            File.Delete(_logFile);
        }
    }

    private async Task<SiloProcess> StartSiloAsync()
    {
        var silo = await SiloProcess.StartAsync(_connectionString, _clusterId, _operator, _logFile);
        _silos.Add(silo);
        return silo;
    }

    [Fact]
    public async Task Trading_through_three_silos_survives_a_sigkill_with_every_trade_settled_once()
    {
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSiloAsync()));
        using var op = _silos[0].Client(_operator);
        string[] celebrities = ["proc-a", "proc-b", "proc-c"];
        foreach (var celebrity in celebrities)
        {
            await ListAndIssueAsync(op, celebrity);
        }

        var fans = await CreateFansAsync(op, 60);
        var random = new Random(3);
        int sent = 0, accepted = 0, failed = 0, acceptedAfterKill = 0;
        var killed = false;
        var refusals = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode Status, string Body, bool RetryAfter)>();
        for (var round = 0; round < 50; round++)
        {
            // The kill lands while a batch is in flight on all three silos: requests, matches and settlements are cut mid-way.
            var completedInRound = 0;
            var killRound = round == 15;

            var batch = Enumerable.Range(0, 30).Select(async _ =>
            {
                var (fan, token) = fans[random.Next(fans.Count)];
                var silo = _silos[random.Next(killed ? 2 : 3)];
                using var client = silo.Client(token);
                var body = new
                {
                    clientOrderId = Guid.NewGuid().ToString("N"),
                    celebrityId = celebrities[random.Next(celebrities.Length)],
                    side = random.Next(2) == 0 ? "buy" : "sell",
                    priceFen = random.Next(95, 106),
                    quantity = random.Next(1, 20),
                };
                try
                {
                    var response = await client.PostAsJsonAsync("/api/v1/orders", body);
                    if (killRound && Interlocked.Increment(ref completedInRound) == 5)
                    {
                        _silos[2].Kill();
                    }

                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        refusals.Add((response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter is not null));
                    }

                    return response.StatusCode == HttpStatusCode.Created ? 1 : 0;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return -1;
                }
            }).ToList();
            foreach (var outcome in await Task.WhenAll(batch))
            {
                sent++;
                accepted += outcome == 1 ? 1 : 0;
                failed += outcome == -1 ? 1 : 0;
                acceptedAfterKill += killed && outcome == 1 ? 1 : 0;
            }

            killed |= killRound;
        }

        // The killed silo by its port: a silo whose first start lost a port race (see SiloProcess) left a dead entry too.
        var killedAddress = $"127.0.0.1:{_silos[2].SiloPort}@";
        var silos = await Eventually.ValueAsync(() => op.GetFromJsonAsync<JsonElement>("/api/v1/admin/cluster/silos"),
            s => s.EnumerateArray().Any(silo => silo.GetProperty("address").GetString()!.StartsWith(killedAddress, StringComparison.Ordinal)
                && silo.GetProperty("status").GetString() == "Dead"), TimeSpan.FromSeconds(60));
        var audit = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        output.WriteLine($"sent {sent}, accepted {accepted}, failed {failed}, accepted after the kill {acceptedAfterKill}; audit {audit}");
        output.WriteLine("refusals by status: " + string.Join(", ", refusals.GroupBy(r => r.Status).Select(g => $"{(int)g.Key} x {g.Count()}")));
        // A silo dying is no fault of the exchange as a whole: the requests it cuts are to be retried, not reported as broken.
        Assert.DoesNotContain(refusals, r => r.Status == HttpStatusCode.InternalServerError);
        Assert.All(refusals.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r => Assert.True(r.RetryAfter && r.Body.Contains("\"unavailable\"", StringComparison.Ordinal), r.Body));

        Assert.True(audit.GetProperty("passed").GetBoolean(), audit.ToString());
        Assert.True(audit.GetProperty("journalTradeCount").GetInt64() > 50, audit.ToString());
        Assert.True(acceptedAfterKill > 100, $"only {acceptedAfterKill} orders accepted after the kill");
        Assert.Equal(2, silos.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active"));
        var activations = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/cluster/activations");
        Assert.DoesNotContain(activations.EnumerateArray(), a => a.GetProperty("silo").GetString()!.Contains($":{_silos[2].SiloPort}@"));
        foreach (var celebrity in celebrities)
        {
            using var survivor = _silos[1].Client(_operator);
            Assert.Equal(HttpStatusCode.OK, (await survivor.GetAsync($"/api/v1/celebrities/{celebrity}/book")).StatusCode);
        }

        // A halt of the whole exchange asked of one silo stops every book, wherever it lives; lifted through the other.
        using var haltingSilo = _silos[1].Client(_operator);
        using var fanClient = _silos[0].Client(fans[0].Token);
        object Buy(string celebrity) => new { clientOrderId = Guid.NewGuid().ToString("N"), celebrityId = celebrity, side = "buy", priceFen = 100, quantity = 1 };
        (await haltingSilo.PostAsJsonAsync("/api/v1/admin/market/halt", new { reason = "drill" })).EnsureSuccessStatusCode();
        var duringHalt = await Task.WhenAll(celebrities.Select(c => fanClient.PostAsJsonAsync("/api/v1/orders", Buy(c))));
        (await op.PostAsync("/api/v1/admin/market/resume", null)).EnsureSuccessStatusCode();
        var afterResume = await Task.WhenAll(celebrities.Select(c => fanClient.PostAsJsonAsync("/api/v1/orders", Buy(c))));

        var during = await Task.WhenAll(duringHalt.Select(response => response.Content.ReadAsStringAsync()));
        var after = await Task.WhenAll(afterResume.Select(response => response.Content.ReadAsStringAsync()));
        output.WriteLine(string.Join("\n", during.Concat(after)));

        Assert.All(during, body => Assert.Contains("Trading on the whole exchange is halted: drill.", body));
        // The random trading above may have left a book in its own volatility halt, which the resume rightly keeps.
        Assert.All(afterResume.Zip(after), pair => Assert.True(pair.First.StatusCode == HttpStatusCode.Created
            || (pair.First.StatusCode == HttpStatusCode.UnprocessableEntity && pair.Second.Contains("volatility")), pair.Second));
    }

    [Fact]
    public async Task A_joining_silo_receives_activations_when_an_operator_rebalances_and_no_state_is_lost()
    {
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => StartSiloAsync()));
        using var op = _silos[0].Client(_operator);
        var accounts = Enumerable.Range(1, 120).Select(i => $"join-fan-{i}").ToList();
        // Operators move cash only for accounts that exist: each gets its key first.
        await Task.WhenAll(accounts.Select(async account => (await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = account, role = "fan" })).EnsureSuccessStatusCode()));
        await Task.WhenAll(accounts.Select(account => op.PostAsJsonAsync($"/api/v1/admin/accounts/{account}/deposits", new { idempotencyKey = "d-" + account, amountFen = 1_000 + account.Length })));
        var before = await WalletsAsync(op, accounts);

        var joined = await StartSiloAsync();
        var rebalance = await (await op.PostAsync("/api/v1/admin/cluster/rebalance", null)).Content.ReadFromJsonAsync<JsonElement>();
        var activations = await Eventually.ValueAsync(() => op.GetFromJsonAsync<JsonElement>("/api/v1/admin/cluster/activations"),
            a => OnSilo(a, joined.SiloPort, "WalletGrain") >= 20, TimeSpan.FromSeconds(60));

        output.WriteLine($"rebalance {rebalance}; activations {activations}");
        Assert.True(rebalance.GetProperty("moved").GetInt32() >= 20, rebalance.ToString());
        Assert.True(OnSilo(activations, joined.SiloPort, "WalletGrain") >= 20);
        Assert.Equal(before, await WalletsAsync(op, accounts));
        // One build throughout: every silo counts as the newest (no older silo to keep activations off).
        var silos = (await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/cluster/silos")).EnumerateArray().Where(s => s.GetProperty("status").GetString() == "Active").ToList();
        Assert.Equal(3, silos.Count);
        Assert.All(silos, silo => Assert.True(silo.GetProperty("newestBuild").GetBoolean(), silo.ToString()));
        Assert.Single(silos.Select(silo => silo.GetProperty("build").GetInt32()).Distinct());
        var audit = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        Assert.True(audit.GetProperty("passed").GetBoolean(), audit.ToString());
    }

    [Fact]
    public async Task An_accounts_feed_open_on_any_silo_hears_its_wallet_wherever_the_wallet_lives()
    {
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => StartSiloAsync()));
        using var op = _silos[0].Client(_operator);
        var key = await (await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "feed-fan", role = "fan" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = key.GetProperty("token").GetString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // One feed per silo: the wallet lives on one of them, so at least one feed hears it from another silo.
        var feeds = new List<IAsyncEnumerator<SseItem<string>>>();
        var clients = _silos.Select(silo => silo.Client(token)).ToList();
        foreach (var client in clients)
        {
            var response = await client.GetAsync("/api/v1/me/feed", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            response.EnsureSuccessStatusCode();
            var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("ready", events.Current.EventType);
            feeds.Add(events);
        }

        (await op.PostAsJsonAsync("/api/v1/admin/accounts/feed-fan/deposits", new { idempotencyKey = "feed-deposit", amountFen = 4_321 })).EnsureSuccessStatusCode();

        foreach (var events in feeds)
        {
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("balance", events.Current.EventType);
            Assert.Equal(4_321, JsonSerializer.Deserialize<JsonElement>(events.Current.Data).GetProperty("balance").GetProperty("cashAvailableFen").GetInt64());
            await events.DisposeAsync();
        }

        clients.ForEach(client => client.Dispose());
    }

    private static int OnSilo(JsonElement activations, int siloPort, string grainType) => activations.EnumerateArray()
        .Where(a => a.GetProperty("silo").GetString()!.Contains($":{siloPort}@") && a.GetProperty("grainType").GetString()!.Contains(grainType))
        .Sum(a => a.GetProperty("activations").GetInt32());

    private static async Task<string> WalletsAsync(HttpClient op, IEnumerable<string> accounts)
    {
        var wallets = await Task.WhenAll(accounts.Select(a => op.GetFromJsonAsync<JsonElement>($"/api/v1/admin/accounts/{a}/wallet")));
        return string.Join("\n", wallets.Select(w => w.ToString()));
    }

    private static async Task ListAndIssueAsync(HttpClient op, string celebrity)
    {
        (await op.PostAsJsonAsync("/api/v1/admin/celebrities", new { celebrityId = celebrity, displayName = celebrity, category = "athlete", followers = 80_000, averageViewsPerPost = 20_000 })).EnsureSuccessStatusCode();
        (await op.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/deposits", new { idempotencyKey = "t-" + celebrity, amountFen = 5_000_000 })).EnsureSuccessStatusCode();
        (await op.PostAsJsonAsync($"/api/v1/admin/celebrities/{celebrity}/issuances", new { issuanceId = "i-" + celebrity, seconds = 50_000, priceFen = 100 })).EnsureSuccessStatusCode();
    }

    private static async Task<List<(string Fan, string Token)>> CreateFansAsync(HttpClient op, int count)
    {
        var fans = new List<(string, string)>();
        for (var i = 1; i <= count; i++)
        {
            var fan = $"proc-fan-{i}";
            var key = await (await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = fan, role = "fan" })).Content.ReadFromJsonAsync<JsonElement>();
            (await op.PostAsJsonAsync($"/api/v1/admin/accounts/{fan}/deposits", new { idempotencyKey = "f-" + fan, amountFen = 1_000_000 })).EnsureSuccessStatusCode();
            fans.Add((fan, key.GetProperty("token").GetString()!));
        }

        // Give every fan seconds to sell, bought from the primary offers.
        foreach (var (fan, token) in fans)
        {
            using var client = new HttpClient { BaseAddress = op.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
            foreach (var celebrity in new[] { "proc-a", "proc-b", "proc-c" })
            {
                (await client.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "seed-" + celebrity, celebrityId = celebrity, side = "buy", priceFen = 100, quantity = 50 })).EnsureSuccessStatusCode();
            }
        }

        return fans;
    }
}
