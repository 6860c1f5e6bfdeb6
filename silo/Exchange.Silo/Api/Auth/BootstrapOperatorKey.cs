using Exchange.Abstractions.Http;

namespace Exchange.Silo.Api.Auth;

/// <summary>
/// On first start (no operator key yet) makes one, so somebody can administer the exchange: the configured
/// Exchange:BootstrapOperatorKey if given (a full cx_ token), else a fresh one printed once to the console.
/// </summary>
public sealed class BootstrapOperatorKey(IApiKeyStore keys, ApiKeyIssuer issuer, IConfiguration configuration, TimeProvider time, ILogger<BootstrapOperatorKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration["Exchange:BootstrapOperatorKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!ApiKeyToken.TryParse(configured, out var keyId, out var secret))
            {
                throw new InvalidOperationException("Exchange:BootstrapOperatorKey must look like cx_<id>_<secret>.");
            }

            // Every silo of a cluster starts with the same key, often at the same moment: the first to insert it wins.
            if (await keys.AddIfAbsentAsync(new ApiKey(keyId, ApiKeyToken.Hash(secret), "operator", ApiRole.Operator, time.GetUtcNow(), null), cancellationToken)
                || await keys.FindAsync(keyId, cancellationToken) is not { } stored)
            {
                return;
            }

            if (stored.Role != ApiRole.Operator || !ApiKeyToken.Matches(stored.SecretHash, secret))
            {
                // Callers may choose their keys' ids (to replace a key safely), so a new configured key could find its id taken.
                logger.LogError("Another key ({Role} of {AccountId}) already has the id {KeyId} of the configured bootstrap operator key, so the configured key does not work; configure a new token", stored.Role, stored.AccountId, keyId);
            }
            else if (stored.RevokedAt is not null)
            {
                // Revoked or replaced (exchange rotate-key) since: it stays revoked, whatever the configuration says.
                logger.LogWarning("The configured bootstrap operator key {KeyId} has been revoked and no longer works; use the key that replaced it, and put that in Exchange:BootstrapOperatorKey (or .data/operator.key for scripts/run.sh)", keyId);
            }

            return;
        }

        if (await keys.AnyActiveOperatorAsync(cancellationToken))
        {
            return;
        }

        var (_, token) = await issuer.IssueAsync("operator", ApiRole.Operator, cancellationToken);
        Console.WriteLine($"""

            ==============================================================================
            First start: an operator API key was created. It is shown only this once:

                {token}

            Use it as: Authorization: Bearer <key>   (or: export EXCHANGE_KEY=<key>)
            ==============================================================================

            """);
        logger.LogWarning("Created the bootstrap operator key (printed to the console, not logged)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
