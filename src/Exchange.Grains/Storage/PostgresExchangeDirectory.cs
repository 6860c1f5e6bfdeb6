using Npgsql;

namespace Exchange.Grains.Storage;

public sealed class PostgresExchangeDirectory(NpgsqlDataSource dataSource) : IExchangeDirectory
{
    public Task RegisterAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        InsertAsync("INSERT INTO exchange.accounts (account_id) VALUES (@id) ON CONFLICT DO NOTHING", accountId, cancellationToken);

    public Task RegisterCelebrityAsync(string celebrityId, CancellationToken cancellationToken = default) =>
        InsertAsync("INSERT INTO exchange.celebrities (celebrity_id) VALUES (@id) ON CONFLICT DO NOTHING", celebrityId, cancellationToken);

    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        ListAsync("SELECT account_id FROM exchange.accounts ORDER BY account_id", cancellationToken);

    public async Task<bool> IsAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM exchange.accounts WHERE account_id = @id)");
        command.Parameters.AddWithValue("id", accountId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<IReadOnlyList<string>> ListCelebritiesAsync(CancellationToken cancellationToken = default) =>
        ListAsync("SELECT celebrity_id FROM exchange.celebrities ORDER BY celebrity_id", cancellationToken);

    private async Task InsertAsync(string sql, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ListAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
