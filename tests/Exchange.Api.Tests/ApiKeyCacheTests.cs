using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Silo.Api.Auth;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Exchange.Api.Tests;

/// <summary>
/// Silos cache the keys they authenticate with (one database round trip per request otherwise). Two caches over one
/// PostgreSQL key table stand for two silos.
/// </summary>
public class ApiKeyCacheTests(ApiKeyCacheTests.KeyTable keys) : IClassFixture<ApiKeyCacheTests.KeyTable>
{
    /// <summary>The API-key table of a real cluster's PostgreSQL database, shared by the tests of this class.</summary>
    public sealed class KeyTable : IAsyncLifetime
    {
        private ExchangeCluster? _exchange;

        public PostgresApiKeyStore Table { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _exchange = await ExchangeCluster.StartAsync();
            Table = new PostgresApiKeyStore(_exchange.SiloService<NpgsqlDataSource>());
        }

        public async Task DisposeAsync() => await _exchange!.DisposeAsync();
    }

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_revocation_applies_at_once_where_it_was_made_and_within_the_lifetime_elsewhere()
    {
        var table = keys.Table;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var siloA = new CachingApiKeyStore(table, Lifetime, clock);
        var siloB = new CachingApiKeyStore(table, Lifetime, clock);

        Assert.Null(await siloB.FindAsync("cachekey1"));
        var (key, _) = await new ApiKeyIssuer(siloA, clock).IssueAsync("cache-fan", ApiRole.Fan);
        // An unknown key is not remembered as unknown: a key just made on one silo works on every silo.
        Assert.Equal(key.AccountId, (await siloB.FindAsync(key.KeyId))?.AccountId);
        Assert.NotNull(await siloA.FindAsync(key.KeyId));

        Assert.True(await siloA.RevokeAsync(key.KeyId, clock.GetUtcNow()));

        Assert.NotNull((await siloA.FindAsync(key.KeyId))!.RevokedAt);
        Assert.Null((await siloB.FindAsync(key.KeyId))!.RevokedAt);
        clock.Advance(Lifetime);
        Assert.NotNull((await siloB.FindAsync(key.KeyId))!.RevokedAt);
    }

    [Fact]
    public async Task A_found_key_is_served_from_memory_until_its_lifetime_ends()
    {
        var table = keys.Table;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new CachingApiKeyStore(table, Lifetime, clock);
        var (key, _) = await new ApiKeyIssuer(table, clock).IssueAsync("cache-fan-2", ApiRole.Fan);
        Assert.NotNull(await cache.FindAsync(key.KeyId));

        // Changed behind the cache's back (by another silo): the cache answers from memory, without the database.
        await table.RevokeAsync(key.KeyId, clock.GetUtcNow());
        clock.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Null((await cache.FindAsync(key.KeyId))!.RevokedAt);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.NotNull((await cache.FindAsync(key.KeyId))!.RevokedAt);
    }
}
