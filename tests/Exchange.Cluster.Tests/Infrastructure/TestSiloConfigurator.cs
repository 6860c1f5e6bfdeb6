using Exchange.Abstractions;
using Exchange.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.TestingHost;

namespace Exchange.Cluster.Tests.Infrastructure;

public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddExchange(siloBuilder.Configuration.GetConnectionString("Exchange"));
        var previousBuild = (siloBuilder.Configuration[PreviousBuildInterfaces.SilosSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (previousBuild.Contains(siloBuilder.Configuration["Orleans:Name"]))
        {
            // After Orleans' own providers, so it sees (and lowers) the versions the [Version] attributes set.
            siloBuilder.Services.AddSingleton<IGrainInterfacePropertiesProvider, PreviousBuildInterfaces>();
        }

        // Fault tests kill silos: notice quickly instead of waiting out production-sized timeouts.
        siloBuilder.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
        // Slot reminders tick every second in tests (production: once a minute).
        siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        siloBuilder.Services.PostConfigure<ExchangeOptions>(options =>
        {
            options.SlotReminderPeriod = TimeSpan.FromSeconds(1);
            options.DelistingRetryPeriod = TimeSpan.FromSeconds(1);
            options.VerifyWalletChangeTracking = true;
        });
        siloBuilder.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 2;
            options.NumVotesForDeathDeclaration = 1;
        });
        siloBuilder.AddOutgoingGrainCallFilter<WalletReadsInFlight>();
        siloBuilder.AddOutgoingGrainCallFilter<RefusedDeliveries>();
        siloBuilder.AddOutgoingGrainCallFilter<UnreachableGrains>();
        siloBuilder.AddOutgoingGrainCallFilter<LostAnswers>();
        siloBuilder.Services.AddSingleton(services =>
            new ExchangeClock(TestClock.For(services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId)));
    }
}

public sealed class TestClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder
            .AddMemoryStreams(StreamNames.Provider)
            .Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
}
