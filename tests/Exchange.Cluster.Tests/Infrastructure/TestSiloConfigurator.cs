using Exchange.Abstractions;
using Exchange.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Exchange.Cluster.Tests.Infrastructure;

public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddExchange(siloBuilder.Configuration.GetConnectionString("Exchange"));
        siloBuilder.Services.AddSingleton(new ExchangeClock(TestClock.Instance));
    }
}

public sealed class TestClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.AddMemoryStreams(StreamNames.Provider);
}
