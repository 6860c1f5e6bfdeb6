using System.Reflection;
using Npgsql;

namespace Exchange.Grains.Storage;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly that the database has not seen yet, in one
/// transaction under an advisory lock, so silos starting together never race or half-apply a version.
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x45_58_43_48_41_4E_47; // "EXCHANG"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS exchange_schema_migrations
            (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var applied = new HashSet<int>();
        await using (var query = new NpgsqlCommand("SELECT version FROM exchange_schema_migrations", connection, transaction))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var newlyApplied = new List<int>();
        foreach (var (version, name, sql) in Scripts.Where(script => !applied.Contains(script.Version)))
        {
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO exchange_schema_migrations (version, name) VALUES (@version, @name)", connection, transaction);
            record.Parameters.AddWithValue("version", version);
            record.Parameters.AddWithValue("name", name);
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(version);
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
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
