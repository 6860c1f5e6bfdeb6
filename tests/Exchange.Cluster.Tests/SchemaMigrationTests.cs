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
