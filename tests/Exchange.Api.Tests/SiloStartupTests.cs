using System.Diagnostics;
using System.Text;
using Exchange.Silo.Hosting;

namespace Exchange.Api.Tests;

/// <summary>The real silo process, started wrong or killed: it says why it cannot start and leaves nothing behind.</summary>
public sealed class SiloStartupTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "exchange-startup-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<Process> _processes = [];
    private readonly Dictionary<Process, Uri> _addresses = [];

    [Theory]
    [InlineData("--Exchange:Clustering=bogus", "Exchange:Clustering must be localhost, postgres or kubernetes, not 'bogus'")]
    [InlineData("--Exchange:Clustering=localhost", "Failed to connect to 127.0.0.1:1")]
    [InlineData("--Exchange:TradingDayTimeZone=Mars/Olympus_Mons", "Exchange:TradingDayTimeZone is not a time zone this machine knows")]
    [InlineData("--Exchange:AuditInterval=00:00:10", "Exchange:AuditInterval is 0 (no audits of its own) or at least a minute")]
    public async Task A_silo_that_cannot_start_says_why_and_exits_with_1(string setting, string reason)
    {
        var (silo, output) = Start("--ConnectionStrings:Exchange=Host=127.0.0.1;Port=1;Username=nobody;Timeout=2", setting);

        await ExitAsync(silo);

        Assert.Equal(1, silo.ExitCode);
        Assert.StartsWith("The silo stopped: ", Lines(output).FirstOrDefault(line => line.StartsWith("The silo stopped", StringComparison.Ordinal)));
        Assert.Contains(reason, output.ToString());
    }

    [Fact]
    public async Task A_killed_silo_leaves_no_database_server_behind_and_the_next_start_serves()
    {
        var port = LoopbackPorts.Free();
        var (first, _) = StartEmbedded(port);
        await ServingAsync(first);

        first.Kill();
        var (second, output) = StartEmbedded(port);

        await ServingAsync(second, output);
    }

    [Fact]
    public async Task A_second_silo_on_the_same_database_folder_refuses_to_start_and_leaves_the_first_serving()
    {
        var (first, _) = StartEmbedded(LoopbackPorts.Free());
        var firstAddress = await ServingAsync(first);

        var (second, output) = StartEmbedded(LoopbackPorts.Free());
        await ExitAsync(second);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"A PostgreSQL server is already running on {_dataDirectory}", output.ToString());
        using var http = new HttpClient();
        var listing = await http.GetAsync(new Uri(firstAddress, "/api/v1/celebrities"));
        Assert.True(listing.IsSuccessStatusCode, $"the first silo stopped serving from its database: {listing.StatusCode}");
    }

    public void Dispose()
    {
        foreach (var process in _processes.Where(process => !process.HasExited))
        {
            // SIGTERM: a silo that stops normally stops its embedded server.
            Process.Start("kill", process.Id.ToString())!.WaitForExit();
            process.WaitForExit(30_000);
        }

        _processes.ForEach(process => process.Dispose());
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private (Process Silo, StringBuilder Output) StartEmbedded(int databasePort) =>
        Start($"--Exchange:DataDirectory={_dataDirectory}", $"--Exchange:EmbeddedPostgresPort={databasePort}",
            "--Exchange:Seed:Catalog=false", "--Exchange:Simulator:Enabled=false");

    private (Process Silo, StringBuilder Output) Start(params string[] settings)
    {
        var output = new StringBuilder();
        var address = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var process = SiloProcess.Launch(
            ["--urls", address, $"--Exchange:SiloPort={LoopbackPorts.Free()}", $"--Exchange:GatewayPort={LoopbackPorts.Free()}", .. settings],
            line => { lock (output) { output.AppendLine(line); } });
        _processes.Add(process);
        _addresses[process] = new Uri(address);
        return (process, output);
    }

    private async Task<Uri> ServingAsync(Process silo, StringBuilder? output = null)
    {
        var address = _addresses[silo];
        return await SiloProcess.ServingAsync(silo, address)
            ? address
            : throw new Xunit.Sdk.XunitException($"the silo did not serve (exited: {silo.HasExited}):\n{output}");
    }

    private static async Task ExitAsync(Process silo)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await silo.WaitForExitAsync(timeout.Token);
    }

    private static IEnumerable<string> Lines(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        }
    }
}
