using System.Text.RegularExpressions;
using Npgsql;

namespace Exchange.Grains.Storage;

/// <summary>
/// A statement written with named parameters (<c>@name</c>, easier to read) and sent with positional ones (<c>$n</c>).
/// Npgsql parses and rewrites SQL with named parameters on every execution, which for the long batch statements was
/// a measurable share of a silo's CPU; SQL with positional parameters goes to PostgreSQL as it is. The conversion
/// happens once, when the statement is built.
/// </summary>
public sealed partial class PositionalStatement
{
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly string[] _namesByPosition;

    public PositionalStatement(string sqlWithNamedParameters)
    {
        Sql = NamedParameter().Replace(sqlWithNamedParameters, match =>
        {
            var name = match.Groups[1].Value;
            if (!_positions.TryGetValue(name, out var position))
            {
                position = _positions.Count;
                _positions[name] = position;
            }

            return "$" + (position + 1);
        });
        _namesByPosition = _positions.OrderBy(pair => pair.Value).Select(pair => pair.Key).ToArray();
    }

    public string Sql { get; }

    /// <summary>A command with every named parameter bound; throws if one is missing or unknown.</summary>
    public NpgsqlCommand Bind(NpgsqlDataSource dataSource, IReadOnlyDictionary<string, NpgsqlParameter> parameters)
    {
        // With as many parameters as names, the loop below finds any unknown one as a missing name.
        if (parameters.Count != _namesByPosition.Length && parameters.Keys.FirstOrDefault(name => !_positions.ContainsKey(name)) is { } unknown)
        {
            throw new ArgumentException($"The statement has no parameter @{unknown}.", nameof(parameters));
        }

        var command = dataSource.CreateCommand(Sql);
        foreach (var name in _namesByPosition)
        {
            if (!parameters.TryGetValue(name, out var parameter))
            {
                command.Dispose();
                throw new ArgumentException($"Parameter @{name} of the statement is not bound.", nameof(parameters));
            }

            command.Parameters.Add(parameter);
        }

        return command;
    }

    [GeneratedRegex(@"@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex NamedParameter();
}
