using System.Collections.Concurrent;

namespace Exchange.Silo.Api.Auth;

/// <summary>For the no-PostgreSQL fallback only: keys vanish with the process.</summary>
public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, ApiKey> _keys = new();

    public Task AddAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        if (!_keys.TryAdd(key.KeyId, key))
        {
            throw new InvalidOperationException($"Key {key.KeyId} exists.");
        }

        return Task.CompletedTask;
    }

    public Task<bool> AddIfAbsentAsync(ApiKey key, CancellationToken cancellationToken = default) => Task.FromResult(_keys.TryAdd(key.KeyId, key));

    public Task<ApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default) => Task.FromResult(_keys.GetValueOrDefault(keyId));

    public Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (_keys.TryGetValue(keyId, out var key) && key.RevokedAt is null)
        {
            _keys[keyId] = key with { RevokedAt = at };
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(string? accountId = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKey>>(_keys.Values.Where(k => accountId is null || k.AccountId == accountId).OrderBy(k => k.CreatedAt).ToList());

    public Task<bool> AnyActiveOperatorAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_keys.Values.Any(k => k.Role == ApiRole.Operator && k.RevokedAt is null));
}
