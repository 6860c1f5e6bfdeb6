namespace Exchange.Silo.Api.Auth;

public interface IApiKeyStore
{
    Task AddAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default);

    Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    Task<bool> AnyActiveOperatorAsync(CancellationToken cancellationToken = default);
}
