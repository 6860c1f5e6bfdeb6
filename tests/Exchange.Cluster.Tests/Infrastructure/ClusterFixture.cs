namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>One single-silo cluster shared by the tests of a class; each test uses celebrity and fan ids of its own.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private ExchangeCluster? _exchange;

    public ExchangeCluster Exchange => _exchange ?? throw new InvalidOperationException("Cluster not started.");

    public async Task InitializeAsync() => _exchange = await ExchangeCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_exchange is not null)
        {
            await _exchange.DisposeAsync();
        }
    }
}
