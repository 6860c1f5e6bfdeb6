using System.Globalization;

namespace Exchange.Client.Cli;

/// <summary>
/// How wide the command line draws its tables. Spectre.Console measures the terminal, but output piped to a file or
/// another program has no terminal and it falls back to 80 columns, which wraps ids and names inside their cells where
/// grep and scripts cannot find them. Tables are only as wide as their content, so a wide limit costs nothing.
/// </summary>
public static class OutputWidth
{
    public const int WhenRedirected = 512;

    /// <summary>The width to use, or null to keep the terminal's. An exported COLUMNS wins, as in other tools.</summary>
    public static int? For(bool outputRedirected, string? columns) =>
        int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0 ? width
        : outputRedirected ? WhenRedirected
        : null;
}
