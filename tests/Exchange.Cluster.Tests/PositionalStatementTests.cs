using Exchange.Grains.Storage;
using Npgsql;

namespace Exchange.Cluster.Tests;

public class PositionalStatementTests
{
    private static readonly NpgsqlDataSource NeverConnected = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");

    [Fact]
    public void Names_become_positions_in_order_of_first_use_and_a_repeated_name_keeps_its_position()
    {
        var statement = new PositionalStatement("SELECT @b, @a FROM t WHERE x = @b AND y = @a_long");

        Assert.Equal("SELECT $1, $2 FROM t WHERE x = $1 AND y = $3", statement.Sql);
    }

    [Fact]
    public void Parameters_are_bound_in_position_order_whatever_order_they_are_given_in()
    {
        var statement = new PositionalStatement("SELECT @b, @a");
        var a = new NpgsqlParameter { Value = 1L };
        var b = new NpgsqlParameter { Value = 2L };

        using var command = statement.Bind(NeverConnected, new Dictionary<string, NpgsqlParameter> { ["a"] = a, ["b"] = b });

        Assert.Equal("SELECT $1, $2", command.CommandText);
        Assert.Same(b, command.Parameters[0]);
        Assert.Same(a, command.Parameters[1]);
    }

    [Fact]
    public void A_missing_or_unknown_parameter_is_refused()
    {
        var statement = new PositionalStatement("SELECT @a, @b");
        var parameter = new NpgsqlParameter { Value = 1L };

        var missing = Assert.Throws<ArgumentException>(() => statement.Bind(NeverConnected, new Dictionary<string, NpgsqlParameter> { ["a"] = parameter }));
        Assert.Contains("@b", missing.Message);
        var unknown = Assert.Throws<ArgumentException>(() => statement.Bind(NeverConnected,
            new Dictionary<string, NpgsqlParameter> { ["a"] = parameter, ["b"] = new() { Value = 2L }, ["c"] = new() { Value = 3L } }));
        Assert.Contains("@c", unknown.Message);
    }
}
