using Microsoft.Extensions.Time.Testing;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// The silos' clock in tests. It starts early in a UTC day and tests only move it by minutes, so no test crosses
/// midnight (which would roll the daily price band under another test's feet).
/// </summary>
public static class TestClock
{
    public static FakeTimeProvider Instance { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
}
