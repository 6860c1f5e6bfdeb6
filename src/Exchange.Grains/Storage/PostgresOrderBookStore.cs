using Exchange.Domain.Orders;
using Exchange.Grains.State;
using Npgsql;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;
using Orleans.Serialization;

namespace Exchange.Grains.Storage;

/// <summary>
/// Books in <c>exchange.order_books</c> (header) and <c>exchange.resting_orders</c> (one row per resting order); a
/// write's trades go into <c>exchange.trade_journal</c> with it. Writes of different books that arrive together go in
/// one statement (see <see cref="WriteBatcher{TKey, TWrite}"/>). <c>exchange.book_order_numbers</c> is no longer read
/// or written; it stays until no silo of an earlier version can be running.
/// </summary>
/// <param name="dataSource">The silo's shared connections, for reads.</param>
/// <param name="batchDataSource">Connections for the batch statement only (see <see cref="BatchDataSource"/>).</param>
public sealed class PostgresOrderBookStore(
    NpgsqlDataSource dataSource,
    NpgsqlDataSource batchDataSource,
    Serializer<OrderBookState> serializer,
    ILogger<PostgresOrderBookStore> logger) : IOrderBookStore, IAsyncDisposable
{
    private const string RestingOrderColumns = "engine_order_id, order_id, owner_id, side, price_fen, original_quantity, remaining_quantity, sequence, good_for_day";
    private const string StopOrderColumns = "engine_order_id, order_id, owner_id, side, order_type, time_in_force, limit_price_fen, stop_price_fen, quantity, sequence";

    // Order changes join the books whose version check passed, so a refused write changes none of its orders. Rows
    // that exist are updated and only the others inserted: an INSERT ... ON CONFLICT DO UPDATE that meets an existing
    // row first locks it, one more WAL record per changed row.
    private static readonly PositionalStatement WriteBatch = new($"""
        WITH input AS (
            SELECT * FROM unnest(@celebrity_ids, @expected_versions, @headers) AS input (celebrity_id, expected_version, header)),
        updated AS (
            UPDATE exchange.order_books AS book SET version = book.version + 1, header = input.header
            FROM input
            WHERE input.expected_version > 0 AND book.celebrity_id = input.celebrity_id AND book.version = input.expected_version
            RETURNING book.celebrity_id, book.version),
        inserted AS (
            INSERT INTO exchange.order_books (celebrity_id, version, header)
            SELECT celebrity_id, 1, header FROM input WHERE expected_version = 0
            ON CONFLICT (celebrity_id) DO NOTHING
            RETURNING celebrity_id, version),
        written AS (
            SELECT celebrity_id, version FROM updated
            UNION ALL
            SELECT celebrity_id, version FROM inserted),
        removed AS (
            DELETE FROM exchange.resting_orders AS resting
            USING unnest(@removal_celebrity_ids, @removal_engine_order_ids) AS removal (celebrity_id, engine_order_id), written
            WHERE resting.celebrity_id = removal.celebrity_id AND resting.engine_order_id = removal.engine_order_id
              AND written.celebrity_id = removal.celebrity_id),
        stops_removed AS (
            DELETE FROM exchange.stop_orders AS stop
            USING unnest(@removal_celebrity_ids, @removal_engine_order_ids) AS removal (celebrity_id, engine_order_id), written
            WHERE stop.celebrity_id = removal.celebrity_id AND stop.engine_order_id = removal.engine_order_id
              AND written.celebrity_id = removal.celebrity_id),
        stop_upsert AS (
            SELECT stop.* FROM unnest(@stop_celebrity_id, @stop_engine_order_id, @stop_order_id, @stop_owner_id, @stop_side, @stop_order_type,
                @stop_time_in_force, @stop_limit_price_fen, @stop_price_fen, @stop_quantity, @stop_sequence) AS stop (celebrity_id, {StopOrderColumns})
            JOIN written ON written.celebrity_id = stop.celebrity_id),
        stops_written AS (
            INSERT INTO exchange.stop_orders (celebrity_id, {StopOrderColumns})
            SELECT celebrity_id, {StopOrderColumns} FROM stop_upsert
            ON CONFLICT (celebrity_id, engine_order_id) DO UPDATE SET quantity = excluded.quantity),
        upsert AS (
            SELECT upsert.* FROM unnest(@celebrity_id, @engine_order_id, @order_id, @owner_id, @side, @price_fen, @original_quantity,
                @remaining_quantity, @sequence, @good_for_day) AS upsert (celebrity_id, engine_order_id, order_id, owner_id, side, price_fen,
                original_quantity, remaining_quantity, sequence, good_for_day)
            JOIN written ON written.celebrity_id = upsert.celebrity_id),
        resting_updated AS (
            UPDATE exchange.resting_orders AS resting SET remaining_quantity = upsert.remaining_quantity
            FROM upsert
            WHERE resting.celebrity_id = upsert.celebrity_id AND resting.engine_order_id = upsert.engine_order_id
            RETURNING resting.celebrity_id, resting.engine_order_id),
        resting_inserted AS (
            INSERT INTO exchange.resting_orders (celebrity_id, {RestingOrderColumns})
            SELECT upsert.celebrity_id, upsert.engine_order_id, upsert.order_id, upsert.owner_id, upsert.side, upsert.price_fen,
                upsert.original_quantity, upsert.remaining_quantity, upsert.sequence, upsert.good_for_day
            FROM upsert
            WHERE NOT EXISTS (
                SELECT 1 FROM resting_updated
                WHERE resting_updated.celebrity_id = upsert.celebrity_id AND resting_updated.engine_order_id = upsert.engine_order_id)
            ON CONFLICT (celebrity_id, engine_order_id) DO UPDATE SET remaining_quantity = excluded.remaining_quantity),
        journalled AS (
            {PostgresTradeJournal.InsertTrades("JOIN written ON written.celebrity_id = trade.celebrity_id")})
        SELECT celebrity_id, version FROM written
        """);

    private sealed record PendingWrite(string CelebrityId, long ExpectedVersion, byte[] Header, OrderBookChanges Changes);

    private readonly WriteBatcher<string, PendingWrite> _batcher = new(
        write => write.CelebrityId,
        batch => ExecuteAsync(batchDataSource, batch),
        write => OrderBookHeader.VersionConflict(write.CelebrityId, write.ExpectedVersion),
        logger);

    public ValueTask DisposeAsync() => batchDataSource.DisposeAsync();

    public async Task<StoredOrderBook?> ReadAsync(string celebrityId, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT version, header FROM exchange.order_books WHERE celebrity_id = $1")
        {
            Parameters = { new NpgsqlParameter { Value = celebrityId } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {RestingOrderColumns} FROM exchange.resting_orders WHERE celebrity_id = $1 ORDER BY sequence")
        {
            Parameters = { new NpgsqlParameter { Value = celebrityId } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {StopOrderColumns} FROM exchange.stop_orders WHERE celebrity_id = $1 ORDER BY sequence")
        {
            Parameters = { new NpgsqlParameter { Value = celebrityId } },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt64(0);
        var state = serializer.Deserialize(reader.GetFieldValue<byte[]>(1)) ?? throw new InvalidDataException($"The stored header of {celebrityId}'s book is empty.");
        await reader.NextResultAsync(cancellationToken);
        var restingOrders = new List<RestingOrderState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            restingOrders.Add(new RestingOrderState
            {
                EngineOrderId = reader.GetInt64(0),
                OrderId = reader.GetString(1),
                OwnerId = reader.GetString(2),
                Side = (Side)reader.GetInt16(3),
                PriceFen = reader.GetInt64(4),
                OriginalQuantity = reader.GetInt64(5),
                RemainingQuantity = reader.GetInt64(6),
                Sequence = reader.GetInt64(7),
                GoodForDay = reader.GetBoolean(8),
            });
        }

        state.RestingOrders = restingOrders;
        await reader.NextResultAsync(cancellationToken);
        var stopOrders = new List<StopOrderState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stopOrders.Add(new StopOrderState
            {
                EngineOrderId = reader.GetInt64(0),
                OrderId = reader.GetString(1),
                OwnerId = reader.GetString(2),
                Side = (Side)reader.GetInt16(3),
                Type = (OrderType)reader.GetInt16(4),
                TimeInForce = (TimeInForce)reader.GetInt16(5),
                LimitPriceFen = reader.GetInt64(6),
                StopPriceFen = reader.GetInt64(7),
                Quantity = reader.GetInt64(8),
                Sequence = reader.GetInt64(9),
            });
        }

        state.StopOrders = stopOrders;
        return new StoredOrderBook(version, state);
    }

    public Task<long> WriteAsync(string celebrityId, long expectedVersion, OrderBookChanges changes, CancellationToken cancellationToken = default) =>
        _batcher.WriteAsync(new PendingWrite(celebrityId, expectedVersion, OrderBookHeader.Serialize(serializer, changes.Header), changes));

    private static async Task<Dictionary<string, long>> ExecuteAsync(NpgsqlDataSource batchDataSource, List<PendingWrite> batch)
    {
        var parameters = new Dictionary<string, NpgsqlParameter>(StringComparer.Ordinal);
        parameters["celebrity_ids"] = ArrayParameter.Of(batch.Select(write => write.CelebrityId), NpgsqlDbType.Text);
        parameters["expected_versions"] = ArrayParameter.Of(batch.Select(write => write.ExpectedVersion), NpgsqlDbType.Bigint);
        parameters["headers"] = ArrayParameter.Of(batch.Select(write => write.Header), NpgsqlDbType.Bytea);

        var removals = batch.SelectMany(write => write.Changes.Removals.Select(engineOrderId => (write.CelebrityId, engineOrderId))).ToList();
        parameters["removal_celebrity_ids"] = ArrayParameter.Of(removals.Select(removal => removal.CelebrityId), NpgsqlDbType.Text);
        parameters["removal_engine_order_ids"] = ArrayParameter.Of(removals.Select(removal => removal.engineOrderId), NpgsqlDbType.Bigint);

        var upserts = batch.SelectMany(write => write.Changes.Upserts.Select(order => (write.CelebrityId, order))).ToList();
        parameters["celebrity_id"] = ArrayParameter.Of(upserts.Select(upsert => upsert.CelebrityId), NpgsqlDbType.Text);
        parameters["engine_order_id"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.EngineOrderId), NpgsqlDbType.Bigint);
        parameters["order_id"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.OrderId), NpgsqlDbType.Text);
        parameters["owner_id"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.OwnerId), NpgsqlDbType.Text);
        parameters["side"] = ArrayParameter.Of(upserts.Select(upsert => (short)upsert.order.Side), NpgsqlDbType.Smallint);
        parameters["price_fen"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.PriceFen), NpgsqlDbType.Bigint);
        parameters["original_quantity"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.OriginalQuantity), NpgsqlDbType.Bigint);
        parameters["remaining_quantity"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.RemainingQuantity), NpgsqlDbType.Bigint);
        parameters["sequence"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.Sequence), NpgsqlDbType.Bigint);
        parameters["good_for_day"] = ArrayParameter.Of(upserts.Select(upsert => upsert.order.GoodForDay), NpgsqlDbType.Boolean);

        var stops = batch.SelectMany(write => write.Changes.StopUpserts.Select(stop => (write.CelebrityId, stop))).ToList();
        parameters["stop_celebrity_id"] = ArrayParameter.Of(stops.Select(upsert => upsert.CelebrityId), NpgsqlDbType.Text);
        parameters["stop_engine_order_id"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.EngineOrderId), NpgsqlDbType.Bigint);
        parameters["stop_order_id"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.OrderId), NpgsqlDbType.Text);
        parameters["stop_owner_id"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.OwnerId), NpgsqlDbType.Text);
        parameters["stop_side"] = ArrayParameter.Of(stops.Select(upsert => (short)upsert.stop.Side), NpgsqlDbType.Smallint);
        parameters["stop_order_type"] = ArrayParameter.Of(stops.Select(upsert => (short)upsert.stop.Type), NpgsqlDbType.Smallint);
        parameters["stop_time_in_force"] = ArrayParameter.Of(stops.Select(upsert => (short)upsert.stop.TimeInForce), NpgsqlDbType.Smallint);
        parameters["stop_limit_price_fen"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.LimitPriceFen), NpgsqlDbType.Bigint);
        parameters["stop_price_fen"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.StopPriceFen), NpgsqlDbType.Bigint);
        parameters["stop_quantity"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.Quantity), NpgsqlDbType.Bigint);
        parameters["stop_sequence"] = ArrayParameter.Of(stops.Select(upsert => upsert.stop.Sequence), NpgsqlDbType.Bigint);

        PostgresTradeJournal.AddTradeParameters(parameters, batch.SelectMany(write => write.Changes.Trades).ToList());

        var versions = new Dictionary<string, long>(batch.Count, StringComparer.Ordinal);
        await using var command = WriteBatch.Bind(batchDataSource, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }
}
