using System.Diagnostics;
using Npgsql;

namespace Exchange.Silo.Postgres;

/// <summary>
/// A private PostgreSQL server started from the installed binaries, listening on loopback only. Used by the
/// embedded default (data kept in the repo's own folder) and by tests (data in a temporary folder, removed after).
/// initdb refuses to run as root, so as root every server command runs as the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private const string ServerUser = "postgres";
    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly bool _temporary;
    private bool _stopped;

    // A kept folder may hold another live process's server (a second silo started on it by mistake): only a server
    // this instance started is this instance's to stop. A throw-away folder is this instance's alone.
    private bool _ownsServer;

    private LocalPostgresServer(string binDirectory, string dataDirectory, bool temporary, int port, string database)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _temporary = temporary;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = ServerUser,
            Database = database,
            Pooling = true,
            MaxPoolSize = 50,
        }.ConnectionString;
    }

    public int Port { get; }

    public string ConnectionString { get; }

    public string DataDirectory => _dataDirectory;

    public static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
            .Where(candidate => candidate.version > 0 && File.Exists(Path.Combine(candidate.dir, "bin", "initdb")))
            .OrderByDescending(candidate => candidate.version)
            .Select(candidate => Path.Combine(candidate.dir, "bin"))
            .FirstOrDefault();
    }

    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var binDirectory = options.BinDirectory ?? FindBinDirectory()
            ?? throw new InvalidOperationException("No PostgreSQL server binaries found under /usr/lib/postgresql (install the postgresql package).");
        var temporary = options.DataDirectory is null;
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "exchange-pg-" + Guid.NewGuid().ToString("N")[..12]));
        var port = options.Port != 0 ? options.Port : Hosting.LoopbackPorts.Free();
        var server = new LocalPostgresServer(binDirectory, dataDirectory, temporary, port, options.Database);
        try
        {
            await server.InitializeAsync(options, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped && (_ownsServer || _temporary))
        {
            _stopped = true;
            if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", _temporary ? "immediate" : "fast", "-w", "stop"], CancellationToken.None, throwOnFailure: false);
            }
        }

        if (_temporary && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>Stops the server abruptly (as a crash would), waits, and starts it again on the same port and data.</summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], cancellationToken);
        await Task.Delay(downtime, cancellationToken);
        await StartServerAsync(_startOptions!, cancellationToken);
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private async Task InitializeAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);
        if (RunningAsRoot)
        {
            await RunProcessAsync("chown", [ServerUser + ":" + ServerUser, _dataDirectory], cancellationToken);
            await RunProcessAsync("chmod", ["700", _dataDirectory], cancellationToken);
        }

        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            List<string> initArgs = ["-D", _dataDirectory, "-U", ServerUser, "--auth=trust", "--encoding=UTF8", "--no-locale"];
            if (!options.Durable)
            {
                initArgs.Add("--no-sync");
            }

            await RunAsync("initdb", initArgs, cancellationToken);
        }

        _startOptions = options;
        await WaitForAnEarlierServerToStopAsync(cancellationToken);
        await StartServerAsync(options, cancellationToken);
        _ownsServer = true;
        StopWhenThisProcessIsGone();

        await EnsureDatabaseAsync(options.Database, cancellationToken);
    }

    /// <summary>
    /// A server must not outlive its process, but a process killed (a test host the runner ends, a crash, SIGKILL)
    /// runs no exit handler. A detached watcher polls for this process and then stops the server: a throw-away one
    /// is deleted with its folder; a kept one is stopped only if it is still the server this process started, since
    /// by then a new silo may have started its own on the same folder. After a normal dispose it finds nothing to do.
    /// </summary>
    private void StopWhenThisProcessIsGone()
    {
        var pgCtl = Path.Combine(_binDirectory, "pg_ctl");
        var asServerUser = RunningAsRoot ? $"runuser -u {ServerUser} -- " : "";
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        var afterwards = _temporary
            ? $"{asServerUser}'{pgCtl}' -D '{_dataDirectory}' -m immediate stop; rm -rf '{_dataDirectory}'"
            : $"[ \"$(head -n 1 '{pidFile}')\" = '{File.ReadLines(pidFile).First()}' ] && {asServerUser}'{pgCtl}' -D '{_dataDirectory}' -m fast stop";
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 2; done; {afterwards}";
        var startInfo = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var watcher = Process.Start(startInfo);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid here: the exit handlers remain the only cleanup.
        }
    }

    private LocalPostgresOptions? _startOptions;

    /// <summary>
    /// A silo killed without running its exit handlers leaves its server running until its watcher stops it, within
    /// seconds. A server still running after that belongs to a live process (another silo on the same folder), which
    /// is not this process's to stop.
    /// </summary>
    private async Task WaitForAnEarlierServerToStopAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")); attempt++)
        {
            if (await RunAsync("pg_ctl", ["-D", _dataDirectory, "status"], cancellationToken, throwOnFailure: false) != 0)
            {
                return;
            }

            if (attempt == 30)
            {
                throw new InvalidOperationException(
                    $"A PostgreSQL server is already running on {_dataDirectory}, most likely another silo's. Stop that silo or give this one " +
                    $"its own Exchange:DataDirectory; if no silo is running, stop the server: pg_ctl -D {_dataDirectory} stop");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private Task StartServerAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{_dataDirectory}' -c max_connections=300";
        if (!options.Durable)
        {
            serverOptions += " -c fsync=off -c full_page_writes=off";
        }

        return RunAsync("pg_ctl", ["-D", _dataDirectory, "-o", serverOptions, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
    }

    /// <summary>Creates another database on this server (if missing) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await EnsureDatabaseAsync(database, cancellationToken);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    private async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // Identifiers cannot be parameters; the name comes from configuration, so quote it defensively.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <returns>The tool's exit code.</returns>
    private Task<int> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return RunningAsRoot
            ? RunProcessAsync("runuser", ["-u", ServerUser, "--", executable, .. arguments], cancellationToken, throwOnFailure)
            : RunProcessAsync(executable, arguments, cancellationToken, throwOnFailure);
    }

    private static async Task<int> RunProcessAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }

        return process.ExitCode;
    }
}
