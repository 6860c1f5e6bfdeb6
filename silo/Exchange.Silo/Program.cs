using Exchange.Silo.Hosting;

var app = await ExchangeHost.BuildAsync(args);
await app.RunAsync();
