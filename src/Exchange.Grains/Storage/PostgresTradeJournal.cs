using Exchange.Abstractions.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Exchange.Grains.Storage;

public sealed class PostgresTradeJournal(NpgsqlDataSource dataSource) : ITradeJournal
{
    /// <summary>The rows <see cref="AddTradeParameters"/> binds, as a table <c>trade</c> with the journal's <see cref="Columns"/> in order.</summary>
    private const string UnnestedTrades = """
        unnest(@journal_trade_ids, @journal_celebrity_ids, @journal_sequences, @journal_buyer_ids, @journal_seller_ids,
            @journal_buy_order_ids, @journal_sell_order_ids, @journal_prices_fen, @journal_quantities, @journal_notionals_fen,
            @journal_commissions_fen, @journal_executed_at)
            AS trade (trade_id, celebrity_id, sequence, buyer_id, seller_id, buy_order_id, sell_order_id, price_fen, quantity,
                notional_fen, commission_fen, executed_at)
        """;

    private static readonly PositionalStatement AppendStatement = new(InsertTrades());

    /// <summary>
    /// Journals the trades <see cref="AddTradeParameters"/> binds (as table <c>trade</c>, which <paramref name="join"/>
    /// may narrow); a trade already there is left as it is, so a replayed write or settlement adds nothing.
    /// </summary>
    internal static string InsertTrades(string join = "") => $"""
        INSERT INTO exchange.trade_journal ({Columns})
        SELECT trade.* FROM {UnnestedTrades}
        {join}
        ON CONFLICT (trade_id) DO NOTHING
        """;

    public async Task AppendAsync(IReadOnlyList<TradeRecord> trades, CancellationToken cancellationToken = default)
    {
        if (trades.Count == 0)
        {
            return;
        }

        var parameters = new Dictionary<string, NpgsqlParameter>(StringComparer.Ordinal);
        AddTradeParameters(parameters, trades);

        // One round trip per batch: the columns travel as arrays and are unnested server-side.
        await using var command = AppendStatement.Bind(dataSource, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Binds the parameters of <see cref="InsertTrades"/>.</summary>
    internal static void AddTradeParameters(Dictionary<string, NpgsqlParameter> parameters, IReadOnlyList<TradeRecord> trades)
    {
        parameters["journal_trade_ids"] = ArrayParameter.Of(trades.Select(t => t.TradeId), NpgsqlDbType.Text);
        parameters["journal_celebrity_ids"] = ArrayParameter.Of(trades.Select(t => t.CelebrityId), NpgsqlDbType.Text);
        parameters["journal_sequences"] = ArrayParameter.Of(trades.Select(t => t.Sequence), NpgsqlDbType.Bigint);
        parameters["journal_buyer_ids"] = ArrayParameter.Of(trades.Select(t => t.BuyerId), NpgsqlDbType.Text);
        parameters["journal_seller_ids"] = ArrayParameter.Of(trades.Select(t => t.SellerId), NpgsqlDbType.Text);
        parameters["journal_buy_order_ids"] = ArrayParameter.Of(trades.Select(t => t.BuyOrderId), NpgsqlDbType.Text);
        parameters["journal_sell_order_ids"] = ArrayParameter.Of(trades.Select(t => t.SellOrderId), NpgsqlDbType.Text);
        parameters["journal_prices_fen"] = ArrayParameter.Of(trades.Select(t => t.PriceFen), NpgsqlDbType.Bigint);
        parameters["journal_quantities"] = ArrayParameter.Of(trades.Select(t => t.Quantity), NpgsqlDbType.Bigint);
        parameters["journal_notionals_fen"] = ArrayParameter.Of(trades.Select(t => t.NotionalFen), NpgsqlDbType.Bigint);
        parameters["journal_commissions_fen"] = ArrayParameter.Of(trades.Select(t => t.CommissionFen), NpgsqlDbType.Bigint);
        parameters["journal_executed_at"] = ArrayParameter.Of(trades.Select(t => t.ExecutedAt.UtcDateTime), NpgsqlDbType.TimestampTz);
    }

    public async Task<JournalWindow> ReadWindowAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for both reads: trades journalled in between would be in the totals and not in the window.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var totalsCommand = new NpgsqlCommand(
            "SELECT count(*), coalesce(sum(commission_fen), 0)::bigint, coalesce(sum(notional_fen), 0)::bigint FROM exchange.trade_journal", connection, transaction);
        JournalTotals totals;
        await using (var reader = await totalsCommand.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            totals = new JournalTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        // Each celebrity's window is a range of its (celebrity_id, sequence) index.
        await using var windowCommand = new NpgsqlCommand($"""
            SELECT {ColumnsOf("journal")}
            FROM unnest(@celebrity_ids, @after_sequences) AS window_start (celebrity_id, sequence)
            JOIN exchange.trade_journal journal ON journal.celebrity_id = window_start.celebrity_id AND journal.sequence > window_start.sequence
            """, connection, transaction);
        windowCommand.Parameters.AddWithValue("celebrity_ids", NpgsqlDbType.Array | NpgsqlDbType.Text, after.Keys.ToArray());
        windowCommand.Parameters.AddWithValue("after_sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint, after.Values.ToArray());
        var trades = await ReadAllAsync(windowCommand, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new JournalWindow(totals, trades);
    }

    private static string ColumnsOf(string table) => string.Join(", ", Columns.Split(", ").Select(column => $"{table}.{column}"));

    public async Task<IReadOnlyList<TradeRecord>> RecentAsync(string celebrityId, int count, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM exchange.trade_journal WHERE celebrity_id = @id ORDER BY sequence DESC LIMIT @count");
        command.Parameters.AddWithValue("id", celebrityId);
        command.Parameters.AddWithValue("count", count);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TradeRecord>?> ForAccountAsync(string accountId, int count, string? beforeTradeId = null, CancellationToken cancellationToken = default)
    {
        DateTime? beforeTime = null;
        if (beforeTradeId is not null)
        {
            await using var cursor = dataSource.CreateCommand("SELECT executed_at FROM exchange.trade_journal WHERE trade_id = @trade AND (buyer_id = @id OR seller_id = @id)");
            cursor.Parameters.AddWithValue("trade", beforeTradeId);
            cursor.Parameters.AddWithValue("id", accountId);
            if (await cursor.ExecuteScalarAsync(cancellationToken) is not DateTime executedAt)
            {
                return null;
            }

            beforeTime = executedAt;
        }

        // Each side is read from its own (account, executed_at, trade_id) index, already in order, then merged.
        var after = beforeTime is null ? "" : "AND (executed_at, trade_id) < (@before_time, @before_trade)";
        await using var command = dataSource.CreateCommand($"""
            (SELECT {Columns} FROM exchange.trade_journal WHERE buyer_id = @id {after} ORDER BY executed_at DESC, trade_id DESC LIMIT @count)
            UNION ALL
            (SELECT {Columns} FROM exchange.trade_journal WHERE seller_id = @id {after} ORDER BY executed_at DESC, trade_id DESC LIMIT @count)
            ORDER BY executed_at DESC, trade_id DESC LIMIT @count
            """);
        command.Parameters.AddWithValue("id", accountId);
        command.Parameters.AddWithValue("count", count);
        if (beforeTime is { } time)
        {
            command.Parameters.AddWithValue("before_time", NpgsqlTypes.NpgsqlDbType.TimestampTz, time);
            command.Parameters.AddWithValue("before_trade", beforeTradeId!);
        }

        return await ReadAllAsync(command, cancellationToken);
    }

    internal const string Columns = "trade_id, celebrity_id, sequence, buyer_id, seller_id, buy_order_id, sell_order_id, price_fen, quantity, notional_fen, commission_fen, executed_at";

    private static async Task<IReadOnlyList<TradeRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var trades = new List<TradeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            trades.Add(new TradeRecord(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9),
                reader.GetInt64(10), new DateTimeOffset(reader.GetDateTime(11), TimeSpan.Zero)));
        }

        return trades;
    }
}
