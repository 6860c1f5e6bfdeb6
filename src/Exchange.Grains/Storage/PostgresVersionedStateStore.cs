using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Exchange.Grains.Storage;

/// <summary>
/// Group commit across grains: while one batch is being written, writes that arrive queue up and all go in the next
/// statement. Each row is still guarded by its own expected version, so one stale writer fails alone; if the
/// statement itself fails, every write in it fails and nothing of it is stored (one statement, one transaction).
/// </summary>
public sealed class PostgresVersionedStateStore(NpgsqlDataSource dataSource, ILogger<PostgresVersionedStateStore> logger) : IVersionedStateStore
{
    /// <summary>Enough to amortize a transaction over many writes, small enough to keep one statement quick.</summary>
    private const int MaxBatch = 256;

    private const string WriteBatch = """
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
            RETURNING kind, key, version)
        SELECT kind, key, version FROM updated
        UNION ALL
        SELECT kind, key, version FROM inserted
        """;

    private sealed record PendingWrite(string Kind, string Key, long ExpectedVersion, byte[] Payload)
    {
        public TaskCompletionSource<long> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _lock = new();
    private List<PendingWrite> _queue = [];
    private bool _flushing;

    public async Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT version, payload FROM exchange.grain_states WHERE kind = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredState(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }

    public Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload)
    {
        var write = new PendingWrite(kind, key, expectedVersion, payload);
        bool startFlushing;
        lock (_lock)
        {
            _queue.Add(write);
            startFlushing = !_flushing;
            _flushing = true;
        }

        if (startFlushing)
        {
            _ = Task.Run(FlushAsync);
        }

        return write.Written.Task;
    }

    private async Task FlushAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var versions = await ExecuteAsync(batch);
                foreach (var write in batch)
                {
                    if (versions.TryGetValue((write.Kind, write.Key), out var version))
                    {
                        write.Written.SetResult(version);
                    }
                    else
                    {
                        write.Written.SetException(VersionConflict.For($"The {write.Kind} '{write.Key}'", write.ExpectedVersion));
                    }
                }
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "A batch of {Count} grain-state writes failed; each writer gets the error", batch.Count);
                batch.ForEach(write => write.Written.SetException(exception));
            }
        }
    }

    /// <summary>
    /// Up to <see cref="MaxBatch"/> queued writes, at most one per grain: two writes of one grain (two activations of
    /// it, briefly) in one statement could not be told apart in its result, so the later waits for the next batch.
    /// Null, and flushing stops, when nothing is queued.
    /// </summary>
    private List<PendingWrite>? TakeBatch()
    {
        lock (_lock)
        {
            if (_queue.Count == 0)
            {
                _flushing = false;
                return null;
            }

            var batch = new List<PendingWrite>(Math.Min(_queue.Count, MaxBatch));
            var keys = new HashSet<(string, string)>();
            var left = new List<PendingWrite>();
            foreach (var write in _queue)
            {
                if (batch.Count < MaxBatch && keys.Add((write.Kind, write.Key)))
                {
                    batch.Add(write);
                }
                else
                {
                    left.Add(write);
                }
            }

            _queue = left;
            return batch;
        }
    }

    private async Task<Dictionary<(string Kind, string Key), long>> ExecuteAsync(List<PendingWrite> batch)
    {
        await using var command = dataSource.CreateCommand(WriteBatch);
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(write => write.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(write => write.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("expected_versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = batch.Select(write => write.ExpectedVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(write => write.Payload).ToArray() });

        var versions = new Dictionary<(string, string), long>(batch.Count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return versions;
    }
}
