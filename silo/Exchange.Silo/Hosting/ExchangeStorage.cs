using Exchange.Silo.Postgres;

namespace Exchange.Silo.Hosting;

/// <summary>
/// Decides where the exchange keeps its state: the configured PostgreSQL (ConnectionStrings:Exchange), else a private
/// server started in the data folder, else memory with a loud warning.
/// </summary>
public sealed class ExchangeStorage : IAsyncDisposable
{
    private readonly LocalPostgresServer? _embeddedServer;

    private ExchangeStorage(StorageKind kind, string? connectionString, LocalPostgresServer? embeddedServer)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _embeddedServer = embeddedServer;
    }

    public StorageKind Kind { get; }

    public string? ConnectionString { get; }

    public static ExchangeStorage ForConnectionString(string connectionString) => new(StorageKind.PostgreSql, connectionString, null);

    public static async Task<ExchangeStorage> PrepareAsync(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Exchange");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return ForConnectionString(configured);
        }

        if (LocalPostgresServer.FindBinDirectory() is null)
        {
            Console.Error.WriteLine("""
                *****************************************************************************
                WARNING: no PostgreSQL configured (ConnectionStrings:Exchange) and none installed.
                Running on IN-MEMORY storage: every balance, order and trade is lost on exit.
                *****************************************************************************
                """);
            return new ExchangeStorage(StorageKind.InMemory, null, null);
        }

        var dataDirectory = configuration["Exchange:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data", "postgres");
        // Below Linux's ephemeral ports (32768-60999): a port in that range can be held as the local end of any outgoing
        // connection, and then the server cannot bind it (the former default, 55432, failed that way after a test run).
        var port = configuration.GetValue("Exchange:EmbeddedPostgresPort", 25432);
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, Port = port });
        Console.WriteLine($"Embedded PostgreSQL in {server.DataDirectory} on 127.0.0.1:{server.Port}");
        return new ExchangeStorage(StorageKind.EmbeddedPostgreSql, server.ConnectionString, server);
    }

    public ValueTask DisposeAsync() => _embeddedServer?.DisposeAsync() ?? ValueTask.CompletedTask;
}
