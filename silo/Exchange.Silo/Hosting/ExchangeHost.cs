using Exchange.Grains.Hosting;
using Exchange.Silo.Api;
using Orleans.Dashboard;

namespace Exchange.Silo.Hosting;

/// <summary>Builds a silo: Orleans, the exchange grains and the HTTP API, on the storage configuration picks.</summary>
public static class ExchangeHost
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content and web root beside the assembly, so settings and the web page are found however the silo is
        // started: dotnet run, the built DLL from any folder, a container, or a test host.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        configure?.Invoke(builder);
        var storage = await ExchangeStorage.PrepareAsync(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(storage);

        builder.UseOrleans(silo =>
        {
            ClusterTopology.Configure(silo, builder.Configuration, storage.ConnectionString);
            silo.AddExchange(storage.ConnectionString);
            silo.AddActivityPropagation();
            silo.AddDashboard();
            if (builder.Configuration.GetValue("Exchange:FastFailureDetection", false))
            {
                // Tests kill silos on purpose; production keeps Orleans' more patient defaults.
                silo.Configure<Orleans.Configuration.ClusterMembershipOptions>(options =>
                {
                    options.ProbeTimeout = TimeSpan.FromSeconds(1);
                    options.NumMissedProbesLimit = 2;
                    options.NumVotesForDeathDeclaration = 1;
                });
                silo.Configure<Orleans.Configuration.SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
            }
        });
        builder.AddExchangeTelemetry();
        builder.AddExchangeApi(persistent: storage.ConnectionString is not null);
        builder.Services.AddHostedService<LivingMarket>();
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration("ready",
            provider => new ReadinessCheck(provider.GetService<Npgsql.NpgsqlDataSource>(), provider.GetRequiredService<IHostApplicationLifetime>()),
            failureStatus: null, tags: ["ready"]));

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() => storage.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.MapExchangeApi();
        app.MapOrleansDashboard(Api.Auth.ApiKeyAuthenticationHandler.DashboardPath).RequireAuthorization(Api.Auth.ApiRole.Operator);
        if (Telemetry.PrometheusEnabled(builder.Configuration))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Api.Auth.ApiRole.Operator);
        }

        app.MapGet("/health", (ExchangeStorage store) => TypedResults.Ok(new Exchange.Abstractions.Http.Health("ok", store.Kind.ToString()))).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .AllowAnonymous();
        return app;
    }
}
