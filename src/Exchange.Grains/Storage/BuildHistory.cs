using Npgsql;

namespace Exchange.Grains.Storage;

/// <summary>The builds that have run against the database, each known by the sum of its grain interface versions.</summary>
public static class BuildHistory
{
    /// <summary>Records <paramref name="versionSum"/> and returns the newest build recorded before it, if any.</summary>
    public static async Task<int?> RecordAsync(NpgsqlDataSource dataSource, int versionSum, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var newest = new NpgsqlCommand("SELECT max(version_sum) FROM exchange.builds", connection);
        var recorded = await newest.ExecuteScalarAsync(cancellationToken) is int sum ? sum : (int?)null;
        if (recorded is null || versionSum >= recorded)
        {
            await using var record = new NpgsqlCommand(
                "INSERT INTO exchange.builds (version_sum) VALUES ($1) ON CONFLICT (version_sum) DO NOTHING", connection);
            record.Parameters.AddWithValue(versionSum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        return recorded;
    }
}
