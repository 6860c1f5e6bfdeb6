using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Storage;
using Npgsql;

namespace Exchange.Cluster.Tests;

/// <summary>The project's own migration of the Orleans ADO.NET contract, exercised directly against PostgreSQL.</summary>
public class SchemaMigrationTests
{
    [Fact]
    public async Task Migrating_twice_applies_each_version_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await SharedPostgres.NewDatabaseAsync());

        var first = await SchemaMigrator.MigrateAsync(dataSource);
        var second = await SchemaMigrator.MigrateAsync(dataSource);

        Assert.Equal(SchemaMigrator.Scripts.Select(script => script.Version), first);
        Assert.Empty(second);
        Assert.Equal(
            [
                "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteReminderRowKey",
                "DeleteReminderRowsKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
                "MembershipReadRowKey", "ReadFromStorageKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
                "ReadReminderRowsKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "UpsertReminderRowKey", "WriteToStorageKey",
            ],
            await ColumnAsync(dataSource, "SELECT querykey FROM orleansquery ORDER BY querykey COLLATE \"C\""));
    }

    [Fact]
    public async Task Silos_migrating_at_the_same_time_do_not_collide()
    {
        await using var dataSource = NpgsqlDataSource.Create(await SharedPostgres.NewDatabaseAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SchemaMigrator.MigrateAsync(dataSource)));

        Assert.Equal(SchemaMigrator.Scripts.Count, results.Sum(applied => applied.Count));
    }

    [Fact]
    public async Task Index_migrations_let_books_keep_journalling_trades_while_they_build()
    {
        await using var dataSource = NpgsqlDataSource.Create(await SharedPostgres.NewDatabaseAsync());
        await SchemaMigrator.MigrateAsync(dataSource, upToVersion: 12);

        // A book's write in flight (its transaction open) as the first silo of a new build migrates at start-up.
        await using var inFlight = await dataSource.OpenConnectionAsync();
        await using var open = await inFlight.BeginTransactionAsync();
        await JournalTradeAsync(inFlight, "in-flight", 1);
        var migration = SchemaMigrator.MigrateAsync(dataSource, upToVersion: 13);
        await Eventually.ValueAsync(() => ColumnAsync(dataSource,
                "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"),
            waiting => waiting.Count > 0);

        // The next book write goes in while the index build waits for the one in flight; behind a build holding its table
        // lock it would wait too, past this timeout.
        await using var next = await dataSource.OpenConnectionAsync();
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '3s'", next))
        {
            await timeout.ExecuteNonQueryAsync();
        }

        await JournalTradeAsync(next, "next", 2);
        Assert.False(migration.IsCompleted);
        await open.CommitAsync();
        Assert.Equal([13], await migration);
        Assert.Equal(["true", "true"], await ColumnAsync(dataSource,
            "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('trade_journal_buyer_time', 'trade_journal_seller_time')"));
        Assert.Empty(await ColumnAsync(dataSource, "SELECT relname::text FROM pg_class WHERE relname IN ('trade_journal_buyer', 'trade_journal_seller')"));
    }

    private static async Task JournalTradeAsync(NpgsqlConnection connection, string tradeId, long sequence)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO exchange.trade_journal (trade_id, celebrity_id, sequence, buyer_id, seller_id, buy_order_id, sell_order_id,
                                                price_fen, quantity, notional_fen, commission_fen, executed_at)
            VALUES ($1, 'index-star', $2, 'fan-b', 'fan-s', 'o-b', 'o-s', 100, 2, 200, 6, now())
            """, connection);
        insert.Parameters.AddWithValue(tradeId);
        insert.Parameters.AddWithValue(sequence);
        await insert.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Grain_state_is_compressed_with_lz4_where_the_server_has_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(await SharedPostgres.NewDatabaseAsync());
        await SchemaMigrator.MigrateAsync(dataSource);

        var compression = await ColumnAsync(dataSource,
            "SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'orleansstorage'::regclass AND attname = 'payloadbinary'");

        Assert.Equal(["l"], compression);
    }

    [Theory]
    [InlineData("Host=db;Username=x", 32, true)]
    [InlineData("Host=db;Username=x;Max Auto Prepare=5;No Reset On Close=false", 5, false)]
    public void Grain_storage_connections_prepare_statements_and_skip_the_reset_unless_told_otherwise(string given, int prepared, bool noReset)
    {
        var tuned = new NpgsqlConnectionStringBuilder(Exchange.Grains.Hosting.ExchangeSiloBuilderExtensions.TunedForGrainStorage(given));

        Assert.Equal(prepared, tuned.MaxAutoPrepare);
        Assert.Equal(noReset, tuned.NoResetOnClose);
        Assert.Equal("db", tuned.Host);
    }

    [Fact]
    public async Task Grain_state_writes_detect_a_stale_version_as_a_conflict()
    {
        await using var dataSource = NpgsqlDataSource.Create(await SharedPostgres.NewDatabaseAsync());
        await SchemaMigrator.MigrateAsync(dataSource);
        var write = (await ColumnAsync(dataSource, "SELECT querytext FROM orleansquery WHERE querykey = 'WriteToStorageKey'")).Single();
        var read = (await ColumnAsync(dataSource, "SELECT querytext FROM orleansquery WHERE querykey = 'ReadFromStorageKey'")).Single();

        var created = await WriteAsync(dataSource, write, version: null, payload: [1]);
        var duplicateInsert = await WriteAsync(dataSource, write, version: null, payload: [2]);
        var updated = await WriteAsync(dataSource, write, version: 1, payload: [3]);
        var stale = await WriteAsync(dataSource, write, version: 1, payload: [4]);

        Assert.Equal(1, created);
        Assert.Null(duplicateInsert);   // a second activation's first write must not succeed
        Assert.Equal(2, updated);
        Assert.Equal(1, stale);         // unchanged version: the provider reports InconsistentStateException

        await using var command = Bind(dataSource.CreateCommand(read), version: null, payload: null);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(new byte[] { 3 }, (byte[])reader["PayloadBinary"]);
        Assert.Equal(2, reader.GetInt32(reader.GetOrdinal("Version")));
    }

    private static async Task<int?> WriteAsync(NpgsqlDataSource dataSource, string sql, int? version, byte[] payload)
    {
        await using var command = Bind(dataSource.CreateCommand(sql), version, payload);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? null : Convert.ToInt32(result);
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, int? version, byte[]? payload)
    {
        command.Parameters.AddWithValue("GrainIdHash", 42);
        command.Parameters.AddWithValue("GrainIdN0", 0L);
        command.Parameters.AddWithValue("GrainIdN1", 0L);
        command.Parameters.AddWithValue("GrainTypeHash", 7);
        command.Parameters.AddWithValue("GrainTypeString", "wallet");
        command.Parameters.AddWithValue("GrainIdExtensionString", "fan-1");
        command.Parameters.AddWithValue("ServiceId", "svc");
        command.Parameters.AddWithValue("GrainStateVersion", (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("PayloadBinary", (object?)payload ?? DBNull.Value);
        return command;
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
