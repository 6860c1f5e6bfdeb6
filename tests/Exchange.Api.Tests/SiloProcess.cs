using System.Diagnostics;
using System.Net.Http.Headers;
using Exchange.Silo.Hosting;

namespace Exchange.Api.Tests;

/// <summary>
/// A real silo process (the built Exchange.Silo.dll) in a cluster whose membership lives in PostgreSQL.
/// <see cref="Kill"/> is SIGKILL: no shutdown, no goodbye to the cluster.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri address, int siloPort)
    {
        _process = process;
        Address = address;
        SiloPort = siloPort;
    }

    public Uri Address { get; }

    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    public static async Task<SiloProcess> StartAsync(string connectionString, string clusterId, string operatorToken, string logFile)
    {
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        for (var attempt = 1; ; attempt++)
        {
            var (httpPort, siloPort, gatewayPort) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
            var portTaken = false;
            var process = Launch(
            [
                "--urls", $"http://127.0.0.1:{httpPort}",
                $"--ConnectionStrings:Exchange={connectionString}", "--Exchange:Clustering=postgres", $"--Exchange:ClusterId={clusterId}",
                $"--Exchange:SiloPort={siloPort}", $"--Exchange:GatewayPort={gatewayPort}", $"--Exchange:BootstrapOperatorKey={operatorToken}",
                "--Exchange:FastFailureDetection=true", "--Exchange:VerifyWalletChangeTracking=true", "--Exchange:Api:RateLimitPermits=100000", "--Logging:LogLevel:Default=Warning",
            ], line =>
            {
                portTaken |= line.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
                lock (log)
                {
                    log.WriteLine(line);
                }
            });

            var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{httpPort}"), siloPort);
            if (await ServingAsync(process, silo.Address))
            {
                return silo;
            }

            // Also reads what the process wrote to its end, so the check below sees its last line.
            await silo.DisposeAsync();

            // Another process can take a port between the test picking it and the silo binding it; new ports then.
            if (!portTaken || attempt == 3)
            {
                throw new InvalidOperationException($"Silo did not become healthy; see {logFile}.");
            }
        }
    }

    /// <summary>Runs the built silo (<c>dotnet Exchange.Silo.dll</c>) with <paramref name="arguments"/>; every line it writes goes to <paramref name="onLine"/>.</summary>
    public static Process Launch(IEnumerable<string> arguments, Action<string> onLine)
    {
        if (!File.Exists(RepositoryPaths.SiloAssembly))
        {
            throw new InvalidOperationException($"Build the silo first: {RepositoryPaths.SiloAssembly} is missing.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.SiloAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Prepend(RepositoryPaths.SiloAssembly))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Whether the silo at <paramref name="address"/> answered <c>/health</c> within 90 s, before its process ended.</summary>
    public static async Task<bool> ServingAsync(Process process, Uri address)
    {
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        return false;
    }

    public HttpClient Client(string token) => new()
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();

        _process.Dispose();
    }
}
