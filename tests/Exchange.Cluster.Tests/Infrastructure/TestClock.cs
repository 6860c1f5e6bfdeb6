using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Market time per test cluster (keyed by service id), so one test class moving its clock past a halt or midnight
/// never moves the clock under another class's feet. Every clock starts early in a UTC day.
/// </summary>
public static class TestClock
{
    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new();

    public static FakeTimeProvider For(string serviceId) =>
        Clocks.GetOrAdd(serviceId, _ => new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)));
}
