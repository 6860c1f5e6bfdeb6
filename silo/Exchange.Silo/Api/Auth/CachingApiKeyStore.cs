using System.Collections.Concurrent;

namespace Exchange.Silo.Api.Auth;

/// <summary>
/// Remembers keys found in the store for a short while, so that an API client's requests do not each cost a
/// database round trip just to authenticate. Revoking evicts the key from this silo's cache at once; other silos
/// notice within <paramref name="lifetime"/>. Unknown keys are never cached: a key created on another silo works
/// on this one immediately.
/// </summary>
public sealed class CachingApiKeyStore(IApiKeyStore store, TimeSpan lifetime, TimeProvider time) : IApiKeyStore
{
    /// <summary>Bounds memory however many distinct keys call; past it the cache starts over.</summary>
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset FoundAt)> _found = new(StringComparer.Ordinal);

    public Task AddAsync(ApiKey key, CancellationToken cancellationToken = default) => store.AddAsync(key, cancellationToken);

    public Task<bool> AddIfAbsentAsync(ApiKey key, CancellationToken cancellationToken = default) => store.AddIfAbsentAsync(key, cancellationToken);

    public async Task<ApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_found.TryGetValue(keyId, out var cached) && now - cached.FoundAt < lifetime)
        {
            return cached.Key;
        }

        var key = await store.FindAsync(keyId, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            _found.TryRemove(keyId, out _);
            return key;
        }

        if (_found.Count >= MaxEntries)
        {
            _found.Clear();
        }

        _found[keyId] = (key, now);
        return key;
    }

    public async Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        _found.TryRemove(keyId, out _);
        var revoked = await store.RevokeAsync(keyId, at, cancellationToken);
        // A request that read the key before the revocation committed may have cached it again meanwhile.
        _found.TryRemove(keyId, out _);
        return revoked;
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(string? accountId = null, CancellationToken cancellationToken = default) => store.ListAsync(accountId, cancellationToken);

    public Task<bool> AnyActiveOperatorAsync(CancellationToken cancellationToken = default) => store.AnyActiveOperatorAsync(cancellationToken);
}
