using Exchange.Abstractions;
using Exchange.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Exchange.Cluster.Tests.Infrastructure;

public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddExchange(siloBuilder.Configuration.GetConnectionString("Exchange"));
        siloBuilder.Services.AddSingleton(services =>
            new ExchangeClock(TestClock.For(services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId)));
    }
}

public sealed class TestClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.AddMemoryStreams(StreamNames.Provider);
}
