using System.Net.Http.Headers;
using Exchange.Abstractions.Http;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Silo.Api.Auth;
using Exchange.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exchange.Api.Tests;

/// <summary>The real silo (Orleans + HTTP API) on free loopback ports, its state in a fresh PostgreSQL database.</summary>
public sealed class ApiHost : IAsyncLifetime, IAsyncDisposable
{
    private WebApplication? _app;
    private IReadOnlyList<string> _extraArguments = [];

    /// <summary>
    /// A started host of a test's own, for tests that stop or restart it, with settings on top of the usual ones (a
    /// factory: xunit wants one public constructor for class fixtures).
    /// </summary>
    public static async Task<ApiHost> StartAsync(params string[] extraArguments)
    {
        var host = new ApiHost { _extraArguments = extraArguments };
        await host.InitializeAsync();
        return host;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string OperatorToken { get; } = ApiKeyToken.Create().Token;

    public const int RateLimitPermits = 300;

    /// <summary>The secret the tests sign payment notifications with, as the payment provider would.</summary>
    public const string PaymentSecret = "test-payment-provider-secret-0123456789";

    public string ConnectionString { get; private set; } = "";

    /// <summary>Every log line the silo wrote, for checking that no secret ever reaches the logs.</summary>
    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        ConnectionString = await SharedPostgres.NewDatabaseAsync();
        await StartAsync();
    }

    /// <summary>Stops the silo as a deployment would and starts a new one on the same database and HTTP address.</summary>
    public async Task RestartAsync()
    {
        await DisposeAsync();
        await StartAgainAsync();
    }

    /// <summary>After <see cref="DisposeAsync()"/>, a new silo on the same database and HTTP address.</summary>
    public Task StartAgainAsync() => StartAsync(BaseAddress.GetLeftPart(UriPartial.Authority));

    private async Task StartAsync(string url = "http://127.0.0.1:0")
    {
        _app = await ExchangeHost.BuildAsync(
        [
            "--urls", url,
            $"--ConnectionStrings:Exchange={ConnectionString}",
            $"--Exchange:SiloPort={LoopbackPorts.Free()}",
            $"--Exchange:GatewayPort={LoopbackPorts.Free()}",
            $"--Exchange:BootstrapOperatorKey={OperatorToken}",
            $"--Exchange:Api:RateLimitPermits={RateLimitPermits}",
            "--Exchange:Api:RateLimitWindow=00:00:30",
            "--Exchange:VerifyWalletChangeTracking=true",
            // Open account feeds renew (and re-check their key) every second instead of every 30.
            "--Exchange:Api:AccountFeedRenewal=00:00:01",
            // Whole-market feeds pick up new listings within half a second instead of five.
            "--Exchange:Api:FeedListingRefresh=00:00:00.5",
            $"--Exchange:Payments:WebhookSecret={PaymentSecret}",
            "--Logging:LogLevel:Default=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore=Information",
            .. _extraArguments,
        ], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient Operator() => Client(OperatorToken);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<string>>> _setups = new();

    /// <summary>Runs a shared set-up once per host (xunit makes a new test-class instance for every test).</summary>
    public Task<string> OnceAsync(string name, Func<Task<string>> setup) =>
        _setups.GetOrAdd(name, _ => new Lazy<Task<string>>(setup)).Value;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
