using Exchange.Silo.Postgres;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// One throw-away PostgreSQL server for the whole test run; every cluster gets a database of its own on it, so
/// tests never see each other's accounts. Stopped and deleted when the test process exits.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<LocalPostgresServer>> Server = new(StartAsync);
    private static int _databaseCounter;

    public static async Task<string> NewDatabaseAsync()
    {
        var server = await Server.Value;
        var name = $"exchange_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        return await server.CreateDatabaseAsync(name);
    }

    private static async Task<LocalPostgresServer> StartAsync()
    {
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Durable = false });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
