namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// The TestingHost writes each silo's log to logs/{ClusterId}_{silo}.log. When a fault test fails, the exchange's own
/// warnings (and the exception lines under them) are what explains it, and CI shows only the test's output.
/// </summary>
public static class SiloLogs
{
    private const int MaxLines = 80;

    public static string ExchangeWarnings(string clusterId)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "logs");
        if (!Directory.Exists(directory))
        {
            return "(no silo logs found)";
        }

        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(directory, clusterId + "_*.log").Order())
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var inExchangeEntry = false;
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith('['))
                {
                    inExchangeEntry = line.Contains("\tExchange.", StringComparison.Ordinal)
                        && (line.Contains("\tWarning\t", StringComparison.Ordinal) || line.Contains("\tError\t", StringComparison.Ordinal));
                    if (inExchangeEntry)
                    {
                        lines.Add(Path.GetFileName(file) + " " + line);
                    }
                }
                else if (inExchangeEntry && line.StartsWith("Exc level", StringComparison.Ordinal))
                {
                    lines.Add("    " + line);
                }
            }
        }

        return lines.Count == 0
            ? "(no warnings from the exchange)"
            : string.Join('\n', lines.Count > MaxLines ? lines[..(MaxLines / 2)].Concat(["..."]).Concat(lines[^(MaxLines / 2)..]) : lines);
    }
}
