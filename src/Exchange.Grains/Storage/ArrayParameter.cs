using Npgsql;
using NpgsqlTypes;

namespace Exchange.Grains.Storage;

/// <summary>
/// One column of many rows as a single array parameter: batch statements send their rows this way and unnest them
/// server-side, so a batch is one round trip whatever its size. Unnamed: it is bound by position (see <see cref="PositionalStatement"/>).
/// </summary>
internal static class ArrayParameter
{
    public static NpgsqlParameter Of<T>(IEnumerable<T> values, NpgsqlDbType elementType) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values.ToArray() };
}
