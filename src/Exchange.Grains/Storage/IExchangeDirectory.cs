namespace Exchange.Grains.Storage;

/// <summary>Which accounts and celebrities exist, so whole-exchange work (the audit, listings) can visit each one.</summary>
public interface IExchangeDirectory
{
    Task RegisterAccountAsync(string accountId, CancellationToken cancellationToken = default);

    Task RegisterCelebrityAsync(string celebrityId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the account ever held anything (its wallet registers itself with its first write).</summary>
    Task<bool> IsAccountAsync(string accountId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListCelebritiesAsync(CancellationToken cancellationToken = default);
}
