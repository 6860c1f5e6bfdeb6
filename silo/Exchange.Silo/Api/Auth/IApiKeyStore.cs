namespace Exchange.Silo.Api.Auth;

public interface IApiKeyStore
{
    Task AddAsync(ApiKey key, CancellationToken cancellationToken = default);

    /// <summary>Adds the key unless one with its id exists (silos starting together with the same configured key); whether it did.</summary>
    Task<bool> AddIfAbsentAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default);

    Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every key, or only the keys of <paramref name="accountId"/>, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(string? accountId = null, CancellationToken cancellationToken = default);

    Task<bool> AnyActiveOperatorAsync(CancellationToken cancellationToken = default);
}
