using System.Collections.Concurrent;

namespace Exchange.Grains.Storage;

/// <summary>For the no-PostgreSQL fallback only.</summary>
public sealed class InMemoryExchangeDirectory : IExchangeDirectory
{
    private readonly ConcurrentDictionary<string, byte> _accounts = new();
    private readonly ConcurrentDictionary<string, byte> _celebrities = new();

    public Task RegisterAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        _accounts.TryAdd(accountId, 0);
        return Task.CompletedTask;
    }

    public Task RegisterCelebrityAsync(string celebrityId, CancellationToken cancellationToken = default)
    {
        _celebrities.TryAdd(celebrityId, 0);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(_accounts.Keys.Order(StringComparer.Ordinal).ToList());

    public Task<bool> IsAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_accounts.ContainsKey(accountId));

    public Task<IReadOnlyList<string>> ListCelebritiesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(_celebrities.Keys.Order(StringComparer.Ordinal).ToList());
}
