using Npgsql;

namespace Exchange.Silo.Api.Auth;

public sealed class PostgresApiKeyStore(NpgsqlDataSource dataSource) : IApiKeyStore
{
    private const string Columns = "key_id, secret_hash, account_id, role, created_at, revoked_at";

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken = default) => await InsertAsync(key, "", cancellationToken);

    public async Task<bool> AddIfAbsentAsync(ApiKey key, CancellationToken cancellationToken = default) =>
        await InsertAsync(key, "ON CONFLICT (key_id) DO NOTHING", cancellationToken) == 1;

    private async Task<int> InsertAsync(ApiKey key, string onConflict, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO exchange.api_keys (key_id, secret_hash, account_id, role, created_at) VALUES (@id, @hash, @account, @role, @created) {onConflict}");
        command.Parameters.AddWithValue("id", key.KeyId);
        command.Parameters.AddWithValue("hash", key.SecretHash);
        command.Parameters.AddWithValue("account", key.AccountId);
        command.Parameters.AddWithValue("role", key.Role);
        command.Parameters.AddWithValue("created", key.CreatedAt.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM exchange.api_keys WHERE key_id = @id");
        command.Parameters.AddWithValue("id", keyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE exchange.api_keys SET revoked_at = @at WHERE key_id = @id AND revoked_at IS NULL");
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string? accountId = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM exchange.api_keys WHERE @account::text IS NULL OR account_id = @account ORDER BY created_at, key_id");
        command.Parameters.AddWithValue("account", (object?)accountId ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public async Task<bool> AnyActiveOperatorAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM exchange.api_keys WHERE role = 'operator' AND revoked_at IS NULL)");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static ApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (byte[])reader[1],
        reader.GetString(2),
        reader.GetString(3),
        new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
        reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero));
}
