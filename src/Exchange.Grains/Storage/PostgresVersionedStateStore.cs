using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Exchange.Grains.Storage;

/// <summary>Grain states in <c>exchange.grain_states</c> and their items in <c>exchange.grain_state_items</c>, written in batches.</summary>
/// <param name="dataSource">The silo's shared connections, for reads.</param>
/// <param name="batchDataSource">Connections for the batch statement only (see <see cref="BatchDataSource"/>).</param>
public sealed class PostgresVersionedStateStore(NpgsqlDataSource dataSource, NpgsqlDataSource batchDataSource, ILogger<PostgresVersionedStateStore> logger)
    : IVersionedStateStore, IAsyncDisposable
{
    // Item changes join the rows whose version check passed, so a refused write changes none of its items. Items that
    // exist are updated and only the others inserted: an INSERT ... ON CONFLICT DO UPDATE that meets an existing row
    // first locks it, one more WAL record per changed item (~1 per order in pg_waldump).
    private static readonly PositionalStatement WriteBatch = new("""
        WITH input AS (
            SELECT * FROM unnest(@kinds, @keys, @expected_versions, @payloads) AS input (kind, key, expected_version, payload)),
        updated AS (
            UPDATE exchange.grain_states AS stored SET version = stored.version + 1, payload = input.payload
            FROM input
            WHERE input.expected_version > 0 AND stored.kind = input.kind AND stored.key = input.key
              AND stored.version = input.expected_version
            RETURNING stored.kind, stored.key, stored.version),
        inserted AS (
            INSERT INTO exchange.grain_states (kind, key, version, payload)
            SELECT kind, key, 1, payload FROM input WHERE expected_version = 0
            ON CONFLICT (kind, key) DO NOTHING
            RETURNING kind, key, version),
        written AS (
            SELECT kind, key, version FROM updated
            UNION ALL
            SELECT kind, key, version FROM inserted),
        removed AS (
            DELETE FROM exchange.grain_state_items AS item
            USING unnest(@removal_kinds, @removal_keys, @removal_names) AS removal (kind, key, name), written
            WHERE item.kind = removal.kind AND item.key = removal.key AND item.name = removal.name
              AND written.kind = removal.kind AND written.key = removal.key),
        upsert AS (
            SELECT upsert.* FROM unnest(@upsert_kinds, @upsert_keys, @upsert_names, @upsert_sorts, @upsert_payloads) AS upsert (kind, key, name, sort, payload)
            JOIN written ON written.kind = upsert.kind AND written.key = upsert.key),
        item_updated AS (
            UPDATE exchange.grain_state_items AS item SET sort = upsert.sort, payload = upsert.payload
            FROM upsert
            WHERE item.kind = upsert.kind AND item.key = upsert.key AND item.name = upsert.name
            RETURNING item.kind, item.key, item.name),
        item_inserted AS (
            INSERT INTO exchange.grain_state_items (kind, key, name, sort, payload)
            SELECT kind, key, name, sort, payload FROM upsert
            WHERE NOT EXISTS (
                SELECT 1 FROM item_updated WHERE item_updated.kind = upsert.kind AND item_updated.key = upsert.key AND item_updated.name = upsert.name)
            ON CONFLICT (kind, key, name) DO UPDATE SET sort = excluded.sort, payload = excluded.payload)
        SELECT kind, key, version FROM written
        """);

    private sealed record PendingWrite(string Kind, string Key, long ExpectedVersion, byte[] Payload, StateItemChanges Items);

    private readonly WriteBatcher<(string Kind, string Key), PendingWrite> _batcher = new(
        write => (write.Kind, write.Key),
        batch => ExecuteAsync(batchDataSource, batch),
        write => VersionConflict.For($"The {write.Kind} '{write.Key}'", write.ExpectedVersion),
        logger);

    public ValueTask DisposeAsync() => batchDataSource.DisposeAsync();

    public async Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT version, payload FROM exchange.grain_states WHERE kind = $1 AND key = $2")
        {
            Parameters = { new NpgsqlParameter { Value = kind }, new NpgsqlParameter { Value = key } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT name, sort, payload FROM exchange.grain_state_items WHERE kind = $1 AND key = $2 ORDER BY sort, name COLLATE \"C\"")
        {
            Parameters = { new NpgsqlParameter { Value = kind }, new NpgsqlParameter { Value = key } },
        });

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt64(0);
        var payload = reader.GetFieldValue<byte[]>(1);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<StateItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StateItem(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        }

        return new StoredState(version, payload, items);
    }

    public Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload, StateItemChanges? items = null) =>
        _batcher.WriteAsync(new PendingWrite(kind, key, expectedVersion, payload, items ?? StateItemChanges.None));

    private static async Task<Dictionary<(string Kind, string Key), long>> ExecuteAsync(NpgsqlDataSource batchDataSource, List<PendingWrite> batch)
    {
        var parameters = new Dictionary<string, NpgsqlParameter>(StringComparer.Ordinal);
        parameters["kinds"] = ArrayParameter.Of(batch.Select(write => write.Kind), NpgsqlDbType.Text);
        parameters["keys"] = ArrayParameter.Of(batch.Select(write => write.Key), NpgsqlDbType.Text);
        parameters["expected_versions"] = ArrayParameter.Of(batch.Select(write => write.ExpectedVersion), NpgsqlDbType.Bigint);
        parameters["payloads"] = ArrayParameter.Of(batch.Select(write => write.Payload), NpgsqlDbType.Bytea);

        var upserts = batch.SelectMany(write => write.Items.Upserts.Select(item => (write, item))).ToList();
        parameters["upsert_kinds"] = ArrayParameter.Of(upserts.Select(upsert => upsert.write.Kind), NpgsqlDbType.Text);
        parameters["upsert_keys"] = ArrayParameter.Of(upserts.Select(upsert => upsert.write.Key), NpgsqlDbType.Text);
        parameters["upsert_names"] = ArrayParameter.Of(upserts.Select(upsert => upsert.item.Name), NpgsqlDbType.Text);
        parameters["upsert_sorts"] = ArrayParameter.Of(upserts.Select(upsert => upsert.item.Sort), NpgsqlDbType.Bigint);
        parameters["upsert_payloads"] = ArrayParameter.Of(upserts.Select(upsert => upsert.item.Payload), NpgsqlDbType.Bytea);

        var removals = batch.SelectMany(write => write.Items.Removals.Select(name => (write, name))).ToList();
        parameters["removal_kinds"] = ArrayParameter.Of(removals.Select(removal => removal.write.Kind), NpgsqlDbType.Text);
        parameters["removal_keys"] = ArrayParameter.Of(removals.Select(removal => removal.write.Key), NpgsqlDbType.Text);
        parameters["removal_names"] = ArrayParameter.Of(removals.Select(removal => removal.name), NpgsqlDbType.Text);

        var versions = new Dictionary<(string, string), long>(batch.Count);
        await using var command = WriteBatch.Bind(batchDataSource, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return versions;
    }
}
