using System.CommandLine.Parsing;
using System.Globalization;

namespace Exchange.Client.Cli;

/// <summary>
/// Seconds and fen are whole numbers. System.CommandLine's own message for "950.5" names the .NET type it wanted
/// (System.Nullable`1[System.Int64]); these parsers say what the value means instead.
/// </summary>
public static class WholeNumber
{
    public const string Seconds = "quantities are whole seconds";
    public const string FenPerSecond = "prices are whole fen per second (950 = 9.50 CNY/s)";
    public const string Fen = "amounts are whole fen (100 = 1.00 CNY)";
    public const string Count = "this is a count";

    public static Func<ArgumentResult, long> Parser(string meaning) => result => Parse(result, meaning) ?? 0;

    public static Func<ArgumentResult, long?> OptionalParser(string meaning) => result => Parse(result, meaning);

    private static long? Parse(ArgumentResult result, string meaning)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a whole number: {meaning}.");
        return null;
    }
}
