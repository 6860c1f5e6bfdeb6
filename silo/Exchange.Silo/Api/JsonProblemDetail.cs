using System.Text.Json;
using System.Text.RegularExpressions;

namespace Exchange.Silo.Api;

/// <summary>
/// Says which field of a request body, or which query parameter, had the wrong kind of value and what kind it takes,
/// in the API's terms: System.Text.Json and ASP.NET Core name .NET types ("could not be converted to
/// System.Nullable`1[System.Int64]", "Nullable&lt;int&gt; limit"), which tells an API client nothing it can act on and
/// shows how the server is built.
/// </summary>
public static partial class JsonProblemDetail
{
    private const string NotAnObject = "The body must be a JSON object, as in the OpenAPI document.";

    public static string Describe(JsonException exception)
    {
        if (MissingRequired().Match(exception.Message) is { Success: true } missing)
        {
            return $"Required and missing: {missing.Groups["names"].Value}.";
        }

        if (UnknownMember().Match(exception.Message) is { Success: true } unknown)
        {
            return $"'{unknown.Groups["name"].Value}' is not a field of this request (names are camelCase, as in the OpenAPI document).";
        }

        if (DuplicateMember().Match(exception.Message) is { Success: true } duplicate)
        {
            return $"'{duplicate.Groups["name"].Value}' is given more than once; send each field once.";
        }

        if (exception.Path == "$" && ConversionTarget().IsMatch(exception.Message))
        {
            return NotAnObject;
        }

        if (exception.Path is not { Length: > 2 } path || ConversionTarget().Match(exception.Message) is not { Success: true } match)
        {
            return exception.Message;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        return $"'{field}' {Expected(match.Groups["type"].Value, field)}.";
    }

    /// <summary>ASP.NET Core's words for a missing or <c>null</c> body speak to the server's developer.</summary>
    public static string? DescribeMissingBody(Exception exception) =>
        MissingBody().IsMatch(exception.Message) ? NotAnObject : null;

    /// <summary>A query or route value of the wrong kind: ASP.NET Core names the handler's .NET parameter type.</summary>
    public static string? DescribeUnboundParameter(Exception exception)
    {
        if (UnboundParameter().Match(exception.Message) is not { Success: true } unbound)
        {
            return null;
        }

        var type = unbound.Groups["type"].Value;
        var expected = type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) ? "takes a whole number"
            : type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? "takes true or false"
            : "has a value of the wrong kind";
        return $"'{unbound.Groups["name"].Value}' {expected}, not '{unbound.Groups["value"].Value}'.";
    }

    private static string Expected(string typeName, string field)
    {
        var type = typeName.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        if (type is "System.Int64" or "System.Int32")
        {
            return field.EndsWith("Fen", StringComparison.Ordinal) ? "takes a whole number of fen (950 = 9.50 CNY)"
                : "takes a whole number" + (field is "quantity" or "seconds" ? " of seconds" : "");
        }

        if (FindEnum(type) is { } enumType)
        {
            return "takes one of " + string.Join(", ", Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName));
        }

        return type switch
        {
            "System.String" => "takes a string",
            "System.Boolean" => "takes true or false",
            "System.DateTimeOffset" => "takes a date and time with its offset from UTC, such as 2026-12-24T18:00:00Z or 2026-12-25T02:00:00+08:00",
            _ => "has a value of the wrong kind",
        };
    }

    private static Type? FindEnum(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => assembly.FullName?.StartsWith("Exchange.", StringComparison.Ordinal) == true)
            .Select(assembly => assembly.GetType(fullName))
            .FirstOrDefault(type => type is { IsEnum: true });

    [GeneratedRegex(@"could not be converted to (?<type>[^ ]+?)\. Path:")]
    private static partial Regex ConversionTarget();

    [GeneratedRegex(@"was missing required properties including: (?<names>.+?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"^The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"^Duplicate property '(?<name>[^']*)' encountered")]
    private static partial Regex DuplicateMember();

    [GeneratedRegex(@"^Failed to bind parameter ""(?<type>.+) (?<name>\w+)"" from ""(?<value>.*)""\.$")]
    private static partial Regex UnboundParameter();

    [GeneratedRegex(@"^(Implicit body inferred for parameter|Required parameter) "".*"" (but no body was provided|was not provided from body)")]
    private static partial Regex MissingBody();
}
