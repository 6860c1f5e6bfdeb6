using System.Reflection;
using Npgsql;

namespace Exchange.Grains.Storage;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly that the database has not seen yet, in order, under an
/// advisory lock, so silos starting together never race. Each script runs in a transaction of its own, so it is applied
/// whole or not at all, except one that starts with <see cref="OutsideTransactionMarker"/>: its statements (each ended by
/// a semicolon at the end of a line) run one by one, as <c>CREATE INDEX CONCURRENTLY</c> must, and it must be safe to
/// run again if a silo stops half-way.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>
    /// First line of a script that builds or drops indexes on tables trading writes to. Inside a transaction the
    /// index build would hold a lock that stops every insert (every trade, during a rolling upgrade) until it ends.
    /// </summary>
    public const string OutsideTransactionMarker = "-- exchange:outside-transaction";

    private const long AdvisoryLockKey = 0x45_58_43_48_41_4E_47; // "EXCHANG"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>Applies the scripts not applied yet, up to <paramref name="upToVersion"/>, and returns their versions.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default,
        int upToVersion = int.MaxValue)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS exchange_schema_migrations
                (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = new HashSet<int>();
            await using (var query = new NpgsqlCommand("SELECT version FROM exchange_schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var newlyApplied = new List<int>();
            foreach (var (version, name, sql) in Scripts.Where(script => !applied.Contains(script.Version) && script.Version <= upToVersion))
            {
                if (sql.StartsWith(OutsideTransactionMarker, StringComparison.Ordinal))
                {
                    foreach (var statement in Statements(sql))
                    {
                        await ExecuteAsync(connection, null, statement, cancellationToken);
                    }

                    await RecordAsync(connection, null, version, name, cancellationToken);
                }
                else
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await ExecuteAsync(connection, transaction, sql, cancellationToken);
                    await RecordAsync(connection, transaction, version, name, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                newlyApplied.Add(version);
            }

            return newlyApplied;
        }
        finally
        {
            // A session lock outlives the command; pooled connections are not reset on return (see TunedForGrainStorage).
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>
    /// Takes the migration lock by polling rather than waiting in <c>pg_advisory_lock</c>: a session blocked there is in a
    /// transaction, which an index build running concurrently in the lock holder waits out, a deadlock.
    /// </summary>
    private static async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLockKey})", connection);
        while (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>A script's statements without its comment lines, each ended by a semicolon at the end of a line.</summary>
    private static IEnumerable<string> Statements(string sql)
    {
        var statement = new System.Text.StringBuilder();
        foreach (var line in sql.Split('\n').Select(line => line.TrimEnd()).Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
        {
            statement.AppendLine(line);
            if (line.EndsWith(';'))
            {
                yield return statement.ToString();
                statement.Clear();
            }
        }

        if (statement.ToString().Trim().Length > 0)
        {
            yield return statement.ToString();
        }
    }

    private static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int version, string name, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand("INSERT INTO exchange_schema_migrations (version, name) VALUES (@version, @name)", connection, transaction);
        record.Parameters.AddWithValue("version", version);
        record.Parameters.AddWithValue("name", name);
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith("Migrations/", StringComparison.Ordinal)))
        {
            var name = resource["Migrations/".Length..];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }

        scripts.Sort((left, right) => left.Item1.CompareTo(right.Item1));
        return scripts;
    }
}
