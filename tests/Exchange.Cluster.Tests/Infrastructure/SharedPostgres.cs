using Exchange.Silo.Postgres;
using Npgsql;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// One throw-away PostgreSQL server for the whole test run; every cluster gets a database of its own on it, so
/// tests never see each other's accounts. Stopped and deleted when the test process exits.
/// </summary>
/// <remarks>
/// Test classes run at the same time, each with a cluster of its own, and every database's connection string is a
/// pool of its own (several per silo). With the product's pool sizes and idle connections kept for minutes, a run
/// once went past the server's 300 connections ("sorry, too many clients already") and failed a busy test. So test
/// pools are smaller and give idle connections back within seconds.
/// </remarks>
public static class SharedPostgres
{
    private static readonly Lazy<Task<LocalPostgresServer>> Server = new(StartAsync);
    private static int _databaseCounter;

    public static async Task<string> NewDatabaseAsync()
    {
        var server = await Server.Value;
        var name = $"exchange_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        var connectionString = await server.CreateDatabaseAsync(name);
        return new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = 20,
            ConnectionIdleLifetime = 4,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    private static async Task<LocalPostgresServer> StartAsync()
    {
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Durable = false });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
