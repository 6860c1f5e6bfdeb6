using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Exchange.Silo.Hosting;

/// <summary>
/// Whether this silo should get traffic (<c>/health/ready</c>): not while it is shutting down, so a load balancer drains
/// it before it stops, and not while its database does not answer, when every order would fail with a 5xx. Liveness
/// (<c>/health</c>) stays apart and never looks at the database: a database outage must not get every silo restarted.
/// </summary>
/// <param name="database">Null when the silo runs without PostgreSQL (in-memory storage).</param>
public sealed class ReadinessCheck(NpgsqlDataSource? database, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("shutting down");
        }

        if (database is null)
        {
            return HealthCheckResult.Healthy("in-memory storage");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseTimeout);
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("database answers");
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer: " + exception.Message);
        }
    }
}
