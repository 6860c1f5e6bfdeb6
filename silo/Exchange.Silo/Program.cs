using Exchange.Grains.Hosting;
using Exchange.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
var storage = await ExchangeStorage.PrepareAsync(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddSingleton(storage);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddExchange(storage.ConnectionString));

var app = builder.Build();
app.Lifetime.ApplicationStopped.Register(() => storage.DisposeAsync().AsTask().GetAwaiter().GetResult());
app.MapGet("/health", (ExchangeStorage store) => Results.Ok(new { status = "ok", storage = store.Kind.ToString() }));
app.Run();
