namespace Exchange.Silo.Postgres;

public sealed record LocalPostgresOptions
{
    /// <summary>Where the cluster's files live. Null: a fresh temporary folder that is deleted on dispose.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1. Zero: pick a free one.</summary>
    public int Port { get; init; }

    public string Database { get; init; } = "exchange";

    /// <summary>
    /// Throw-away test servers skip fsync: a crash loses the whole folder anyway, and it makes tests several times faster.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Folder with initdb and pg_ctl. Null: the newest /usr/lib/postgresql/N/bin.</summary>
    public string? BinDirectory { get; init; }
}
