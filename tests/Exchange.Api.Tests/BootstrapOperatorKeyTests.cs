using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Exchange.Api.Tests;

/// <summary>Every silo of a cluster is configured with the same bootstrap operator key and stores it when it starts.</summary>
public class BootstrapOperatorKeyTests(ApiKeyCacheTests.KeyTable keys) : IClassFixture<ApiKeyCacheTests.KeyTable>
{
    [Fact]
    public async Task Silos_starting_together_with_the_same_key_all_start_and_store_it_once()
    {
        var token = "cx_bootstrap01_" + new string('s', 43);
        var configuration = ConfiguredWith(token);
        var silos = Enumerable.Range(0, 16).Select(_ =>
        {
            var store = new CachingApiKeyStore(keys.Table, TimeSpan.FromSeconds(2), TimeProvider.System);
            return new BootstrapOperatorKey(store, new ApiKeyIssuer(store, TimeProvider.System), configuration, TimeProvider.System,
                NullLogger<BootstrapOperatorKey>.Instance);
        }).ToList();

        await Task.WhenAll(silos.Select(silo => Task.Run(() => silo.StartAsync(CancellationToken.None))));

        Assert.True(ApiKeyToken.TryParse(token, out var keyId, out var secret));
        var stored = await keys.Table.FindAsync(keyId);
        Assert.NotNull(stored);
        Assert.Equal(ApiRole.Operator, stored.Role);
        Assert.Equal(ApiKeyToken.Hash(secret), stored.SecretHash);
        Assert.Single(await keys.Table.ListAsync(), key => key.KeyId == keyId);
    }

    [Fact]
    public async Task A_revoked_bootstrap_key_stays_revoked_on_restart_and_the_silo_says_so()
    {
        var token = "cx_bootstrap02_" + new string('r', 43);
        var configuration = ConfiguredWith(token);
        var logs = new LogCapture();
        BootstrapOperatorKey Silo() => new(keys.Table, new ApiKeyIssuer(keys.Table, TimeProvider.System), configuration, TimeProvider.System,
            new LoggerFactory([logs]).CreateLogger<BootstrapOperatorKey>());
        Assert.True(ApiKeyToken.TryParse(token, out var keyId, out _));

        await Silo().StartAsync(CancellationToken.None);
        Assert.Empty(logs.Lines);
        Assert.True(await keys.Table.RevokeAsync(keyId, DateTimeOffset.UtcNow)); // exchange rotate-key does this
        await Silo().StartAsync(CancellationToken.None);

        Assert.NotNull((await keys.Table.FindAsync(keyId))!.RevokedAt);
        Assert.Contains(logs.Lines, line => line.Contains($"bootstrap operator key {keyId} has been revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_configured_key_whose_id_another_key_took_is_reported_and_grants_nothing()
    {
        var token = "cx_bootstrap03_" + new string('o', 43);
        Assert.True(ApiKeyToken.TryParse(token, out var keyId, out _));
        await keys.Table.AddAsync(new ApiKey(keyId, ApiKeyToken.Hash(new string('f', 43)), "squatting-fan", ApiRole.Fan, DateTimeOffset.UtcNow, null));
        var logs = new LogCapture();

        await new BootstrapOperatorKey(keys.Table, new ApiKeyIssuer(keys.Table, TimeProvider.System), ConfiguredWith(token), TimeProvider.System,
            new LoggerFactory([logs]).CreateLogger<BootstrapOperatorKey>()).StartAsync(CancellationToken.None);

        var stored = await keys.Table.FindAsync(keyId);
        Assert.Equal(("squatting-fan", ApiRole.Fan), (stored!.AccountId, stored.Role));
        Assert.Contains(logs.Lines, line => line.Contains($"already has the id {keyId} of the configured bootstrap operator key", StringComparison.Ordinal));
    }

    /// <summary>A silo's configuration naming its bootstrap operator key, as a cluster's deployment gives it.</summary>
    private static IConfiguration ConfiguredWith(string token) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Exchange:BootstrapOperatorKey"] = token })
        .Build();
}
