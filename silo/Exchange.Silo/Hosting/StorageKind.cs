namespace Exchange.Silo.Hosting;

public enum StorageKind
{
    /// <summary>A PostgreSQL server named by configuration.</summary>
    PostgreSql,

    /// <summary>A private PostgreSQL server this process started in the repo's data folder.</summary>
    EmbeddedPostgreSql,

    /// <summary>Nothing persists: only when no PostgreSQL is installed at all.</summary>
    InMemory,
}
