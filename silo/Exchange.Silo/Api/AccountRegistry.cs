using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Grains.Storage;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api;

/// <summary>
/// Which accounts exist, for operators' hand movements: every id names a wallet, so a mistyped account would take a
/// deposit into a wallet nobody can reach (the audit still balances, the fan never sees it). An account exists once it
/// has a key or has held anything; the exchange's own accounts always do.
/// </summary>
public sealed class AccountRegistry(IExchangeDirectory directory, IApiKeyStore keys)
{
    public async Task<IResult?> UnknownAsync(string accountId, CancellationToken cancellationToken = default) =>
        AccountIds.IsSystem(accountId) || await directory.IsAccountAsync(accountId, cancellationToken)
            || (await keys.ListAsync(accountId, cancellationToken)).Count > 0
            ? null
            : ProblemResults.NotFound(ErrorCodes.UnknownAccount, $"No account '{accountId}': it has no key and never held anything. Create its key first (exchange admin create-key {accountId}).");
}
