using Exchange.Grains.Hosting;
using Exchange.Silo.Api;

namespace Exchange.Silo.Hosting;

/// <summary>Builds a silo: Orleans, the exchange grains and the HTTP API, on the storage configuration picks.</summary>
public static class ExchangeHost
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var storage = await ExchangeStorage.PrepareAsync(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(storage);

        builder.UseOrleans(silo =>
        {
            ClusterTopology.Configure(silo, builder.Configuration, storage.ConnectionString);
            silo.AddExchange(storage.ConnectionString);
        });
        builder.AddExchangeApi(persistent: storage.ConnectionString is not null);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() => storage.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.MapExchangeApi();
        app.MapGet("/health", (ExchangeStorage store) => TypedResults.Ok(new Exchange.Abstractions.Http.Health("ok", store.Kind.ToString()))).AllowAnonymous();
        return app;
    }
}
