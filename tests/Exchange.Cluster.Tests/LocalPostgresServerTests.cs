using Exchange.Silo.Postgres;
using Npgsql;

namespace Exchange.Cluster.Tests;

public class LocalPostgresServerTests
{
    [Fact]
    public async Task Throw_away_server_starts_on_a_free_port_answers_queries_and_leaves_nothing_behind()
    {
        string dataDirectory;
        string connectionString;
        await using (var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Durable = false }))
        {
            dataDirectory = server.DataDirectory;
            connectionString = server.ConnectionString;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database() || ':' || (40 + 2)::text", connection);

            Assert.Equal("exchange:42", await command.ExecuteScalarAsync());
        }

        Assert.False(Directory.Exists(dataDirectory));
        await using var refused = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 2, Pooling = false }.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
    }

    [Fact]
    public async Task A_server_with_a_kept_data_folder_keeps_its_data_across_restarts()
    {
        var folder = Path.Combine(Path.GetTempPath(), "exchange-kept-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new LocalPostgresOptions { DataDirectory = folder, Durable = false };
            await using (var first = await LocalPostgresServer.StartAsync(options))
            {
                await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept(v int); INSERT INTO kept VALUES (7)");
            }

            await using var second = await LocalPostgresServer.StartAsync(options);
            Assert.Equal(7, await ExecuteAsync(second.ConnectionString, "SELECT v FROM kept"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_fast_throw_away_server_killed_and_restarted_keeps_every_acknowledged_commit()
    {
        await using var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Durable = false });
        await ExecuteAsync(server.ConnectionString, "CREATE TABLE acknowledged(v int)");
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            for (var i = 1; i <= 300; i++)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO acknowledged VALUES ({i})", connection);
                await insert.ExecuteNonQueryAsync();
            }
        }

        // The restart is a kill (immediate stop): the writes just acknowledged must all come back.
        await server.RestartAsync(TimeSpan.Zero);
        NpgsqlConnection.ClearAllPools();

        Assert.Equal(300L, await ExecuteAsync(server.ConnectionString, "SELECT count(*) FROM acknowledged"));
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
