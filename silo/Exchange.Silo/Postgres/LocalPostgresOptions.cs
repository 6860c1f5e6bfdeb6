namespace Exchange.Silo.Postgres;

public sealed record LocalPostgresOptions
{
    /// <summary>Where the cluster's files live. Null: a fresh temporary folder that is deleted on dispose.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1. Zero: pick a free one.</summary>
    public int Port { get; init; }

    public string Database { get; init; } = "exchange";

    /// <summary>
    /// Throw-away test servers skip fsync: they only need to survive a crash of the server process, not of the
    /// machine, and it makes tests several times faster. Commits still reach the operating system before they are
    /// acknowledged (synchronous_commit stays on), so a killed or restarted server keeps every acknowledged write;
    /// without that, a restart silently dropped writes the grains had been told were stored.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Folder with initdb and pg_ctl. Null: the newest /usr/lib/postgresql/N/bin.</summary>
    public string? BinDirectory { get; init; }
}
