using System.Diagnostics;
using Exchange.Silo.Hosting;

namespace Exchange.Api.Tests;

/// <summary>The real silo process, started wrong: it must say why and fail with exit code 1, not abort.</summary>
public class SiloStartupTests
{
    [Theory]
    [InlineData("--Exchange:Clustering=bogus", "Exchange:Clustering must be localhost, postgres or kubernetes, not 'bogus'")]
    [InlineData("--Exchange:Clustering=localhost", "Failed to connect to 127.0.0.1:1")]
    public async Task A_silo_that_cannot_start_says_why_and_exits_with_1(string setting, string reason)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.SiloAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            RepositoryPaths.SiloAssembly, "--urls", "http://127.0.0.1:0", "--ConnectionStrings:Exchange=Host=127.0.0.1;Port=1;Username=nobody;Timeout=2",
            $"--Exchange:SiloPort={LoopbackPorts.Free()}", $"--Exchange:GatewayPort={LoopbackPorts.Free()}", setting,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var firstLine = (await error).Split('\n')[0];
        Assert.StartsWith("The silo stopped: ", firstLine);
        Assert.Contains(reason, await error);
        await output;
    }
}
