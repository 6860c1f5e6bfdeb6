using Exchange.Domain.Orders;
using Exchange.Grains.State;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;

namespace Exchange.Grains.Storage;

public sealed class PostgresOrderBookStore(NpgsqlDataSource dataSource, Serializer<OrderBookState> serializer) : IOrderBookStore
{
    private const string RestingOrderColumns = "engine_order_id, order_id, owner_id, side, price_fen, original_quantity, remaining_quantity, sequence";

    // One statement, so all or nothing without a transaction round trip. The order changes happen only if the header
    // write matched the expected version; a writer that lost the race changes nothing and gets no row back.
    private const string ChangeRestingOrders = $"""
        removed AS (
            DELETE FROM exchange.resting_orders
            WHERE celebrity_id = @celebrity_id AND engine_order_id = ANY(@removals) AND EXISTS (SELECT FROM stored)),
        upserted AS (
            INSERT INTO exchange.resting_orders (celebrity_id, {RestingOrderColumns})
            SELECT @celebrity_id, * FROM unnest(@engine_order_id, @order_id, @owner_id, @side, @price_fen, @original_quantity,
                @remaining_quantity, @sequence)
            WHERE EXISTS (SELECT FROM stored)
            ON CONFLICT (celebrity_id, engine_order_id) DO UPDATE SET remaining_quantity = excluded.remaining_quantity)
        SELECT version FROM stored
        """;

    private const string InsertFirst = $"""
        WITH stored AS (
            INSERT INTO exchange.order_books (celebrity_id, version, header) VALUES (@celebrity_id, 1, @header)
            ON CONFLICT (celebrity_id) DO NOTHING
            RETURNING version),
        {ChangeRestingOrders}
        """;

    private const string UpdateExisting = $"""
        WITH stored AS (
            UPDATE exchange.order_books SET version = version + 1, header = @header
            WHERE celebrity_id = @celebrity_id AND version = @expected_version
            RETURNING version),
        {ChangeRestingOrders}
        """;

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
            });
        }

        state.RestingOrders = restingOrders;
        return new StoredOrderBook(version, state);
    }

    public async Task<long> WriteAsync(string celebrityId, long expectedVersion, OrderBookChanges changes, CancellationToken cancellationToken = default)
    {
        var upserts = changes.Upserts;
        await using var command = dataSource.CreateCommand(expectedVersion == 0 ? InsertFirst : UpdateExisting);
        command.Parameters.AddWithValue("celebrity_id", celebrityId);
        command.Parameters.AddWithValue("header", OrderBookHeader.Serialize(serializer, changes.Header));
        if (expectedVersion != 0)
        {
            command.Parameters.AddWithValue("expected_version", expectedVersion);
        }

        command.Parameters.Add(new NpgsqlParameter("removals", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = changes.Removals.ToArray() });
        command.Parameters.Add(Column("engine_order_id", upserts, order => order.EngineOrderId, NpgsqlDbType.Bigint));
        command.Parameters.Add(Column("order_id", upserts, order => order.OrderId, NpgsqlDbType.Text));
        command.Parameters.Add(Column("owner_id", upserts, order => order.OwnerId, NpgsqlDbType.Text));
        command.Parameters.Add(Column("side", upserts, order => (short)order.Side, NpgsqlDbType.Smallint));
        command.Parameters.Add(Column("price_fen", upserts, order => order.PriceFen, NpgsqlDbType.Bigint));
        command.Parameters.Add(Column("original_quantity", upserts, order => order.OriginalQuantity, NpgsqlDbType.Bigint));
        command.Parameters.Add(Column("remaining_quantity", upserts, order => order.RemainingQuantity, NpgsqlDbType.Bigint));
        command.Parameters.Add(Column("sequence", upserts, order => order.Sequence, NpgsqlDbType.Bigint));

        return await command.ExecuteScalarAsync(cancellationToken) is long version
            ? version
            : throw OrderBookHeader.VersionConflict(celebrityId, expectedVersion);
    }

    private static NpgsqlParameter Column<T>(string name, IReadOnlyList<RestingOrderState> orders, Func<RestingOrderState, T> select, NpgsqlDbType type) =>
        new(name, NpgsqlDbType.Array | type) { Value = orders.Select(select).ToArray() };
}
