namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>A grain that was never kept in Orleans' grain storage (what a versioned state falls back to reading).</summary>
public sealed class NoLegacyRow<T> : IPersistentState<T>
    where T : new()
{
    public T State { get; set; } = new();

    public string? Etag => null;

    public bool RecordExists => false;

    public Task ClearStateAsync() => Task.CompletedTask;

    public Task WriteStateAsync() => Task.CompletedTask;

    public Task ReadStateAsync() => Task.CompletedTask;
}
