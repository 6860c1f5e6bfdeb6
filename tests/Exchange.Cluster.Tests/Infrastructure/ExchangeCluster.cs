using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Orders;
using Exchange.Domain.Protection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>A real Orleans cluster (TestingHost, in-process silos) whose state lives in its own PostgreSQL database.</summary>
public sealed class ExchangeCluster : IAsyncDisposable
{
    private ExchangeCluster(TestCluster cluster, string connectionString, string serviceId)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
        ServiceId = serviceId;
    }

    public TestCluster Cluster { get; }

    public string ConnectionString { get; }

    public string ServiceId { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>This cluster's market clock.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => TestClock.For(ServiceId);

    /// <summary>Moves the cluster's clock a minute into the next trading day (UTC days, the tests' setting).</summary>
    public void StartNextTradingDay()
    {
        var now = Clock.GetUtcNow();
        Clock.Advance(TradingCalendar.For("UTC").StartOfNextDay(now) - now + TimeSpan.FromMinutes(1));
    }

    public static async Task<ExchangeCluster> StartAsync(short silos = 1, string? connectionString = null, string? serviceId = null,
        IReadOnlyDictionary<string, string>? settings = null, bool assumeHomogeneousSilos = true)
    {
        connectionString ??= await SharedPostgres.NewDatabaseAsync();
        var builder = new TestClusterBuilder(silos);

        // TestingHost's default skips grain versions and placement filters, as if every silo ran the same build.
        builder.Options.AssumeHomogenousSilosForTesting = assumeHomogeneousSilos;
        builder.Properties["ConnectionStrings:Exchange"] = connectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

        if (serviceId is not null)
        {
            // The same service id is what lets a new cluster find the previous one's grain state.
            builder.Options.ServiceId = serviceId;
        }

        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        builder.AddClientBuilderConfigurator<TestClientConfigurator>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            // A silo that refuses to start must not leave the others (or their ports) behind for the next test.
            await cluster.DisposeAsync();
            throw;
        }

        return new ExchangeCluster(cluster, connectionString, cluster.Options.ServiceId);
    }

    /// <summary>A service of the primary silo (keyed if <paramref name="key"/> is given), for checking storage directly.</summary>
    public T SiloService<T>(string? key = null) where T : notnull
    {
        var services = ServicesOf(Cluster.Primary);
        return key is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(key);
    }

    /// <summary>The grain factory of one silo, for calls made as that silo's own code would make them.</summary>
    public static IGrainFactory GrainsOf(SiloHandle silo) => ServicesOf(silo).GetRequiredService<IGrainFactory>();

    /// <summary>One in-process silo's own services.</summary>
    public static IServiceProvider ServicesOf(SiloHandle? silo) => Assert.IsType<InProcessSiloHandle>(silo).SiloHost.Services;

    /// <summary>Deactivates every idle grain, so the next call reads its state back from storage.</summary>
    public Task DeactivateIdleGrainsAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public IWalletGrain Wallet(string accountId) => Grains.GetGrain<IWalletGrain>(accountId);

    public IOrderBookGrain Book(string celebrityId) => Grains.GetGrain<IOrderBookGrain>(celebrityId);

    public ICelebrityGrain Celebrity(string celebrityId) => Grains.GetGrain<ICelebrityGrain>(celebrityId);

    public Task<AuditReport> AuditAsync() => Grains.GetGrain<IOperatorGrain>("audit").RunAudit();

    public async Task AssertAuditPassesAsync()
    {
        var report = await AuditAsync();
        Assert.True(report.Passed, Explain(report));
    }

    /// <summary>An audit's violations and the exchange's warnings from the silo logs, which usually say why.</summary>
    public string Explain(AuditReport report) =>
        $"audit failed:\n{string.Join("\n", report.Violations)}\nWarnings of the exchange:\n{SiloLogs.ExchangeWarnings(Cluster.Options.ClusterId)}";

    public async Task FundAsync(string accountId, long amountFen)
    {
        var result = await Wallet(accountId).Deposit($"fund-{Guid.NewGuid():N}", amountFen);
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    /// <summary>Lists a celebrity and has the treasury buy and offer <paramref name="seconds"/> at <paramref name="priceFen"/>.</summary>
    public async Task<IssuanceResult> ListAndIssueAsync(string celebrityId, long seconds, long priceFen, string category = "actor")
    {
        Assert.Null(await Celebrity(celebrityId).List(new CelebrityListing(celebrityId.Replace('-', ' '), category, "agent-" + celebrityId, 100_000, 50_000)));
        await FundAsync(AccountIds.Treasury, checked(seconds * priceFen));
        var issued = await Celebrity(celebrityId).IssueTime("first-" + celebrityId, seconds, priceFen);
        Assert.True(issued.Succeeded, issued.Error?.Message);
        return issued;
    }

    /// <summary>
    /// A fan holding <paramref name="seconds"/> of a celebrity, bought from the treasury's offer at 10 fen a second and
    /// settled; the celebrity is listed with a large issuance first if it is not yet.
    /// </summary>
    public async Task GiveFanSecondsAsync(string celebrityId, string fan, long seconds)
    {
        if (await Celebrity(celebrityId).GetProfile() is null)
        {
            await ListAndIssueAsync(celebrityId, 1_000_000, 10);
        }

        await FundAsync(fan, seconds * 10);
        var bought = await LimitAsync(fan, celebrityId, Side.Buy, 10, seconds);
        Assert.Equal(OrderState.Filled, bought.Order!.State);
        await SettleAsync(celebrityId);
    }

    public Task<OrderResult> LimitAsync(string fan, string celebrityId, Side side, long price, long quantity, TimeInForce tif = TimeInForce.GoodTillCancel, string? clientOrderId = null) =>
        Wallet(fan).PlaceOrder(new PlaceOrderCommand(clientOrderId ?? Guid.NewGuid().ToString("N"), celebrityId, side, OrderType.Limit, tif, price, quantity));

    public Task<OrderResult> MarketAsync(string fan, string celebrityId, Side side, long quantity) =>
        Wallet(fan).PlaceOrder(new PlaceOrderCommand(Guid.NewGuid().ToString("N"), celebrityId, side, OrderType.Market, TimeInForce.ImmediateOrCancel, 0, quantity));

    /// <summary>Waits until every book has settled every event, so balances are final.</summary>
    public async Task SettleAsync(params string[] celebrityIds)
    {
        foreach (var celebrityId in celebrityIds)
        {
            Assert.Equal(0, (await Book(celebrityId).FlushSettlements()).Unsettled);
        }
    }

    /// <summary>
    /// Waits until every book has settled every event, the way a restarted cluster catches up by itself: retries of
    /// failed deliveries included. Fails with the exchange's warnings from the silo logs if it does not catch up.
    /// </summary>
    public async Task WaitUntilSettledAsync(IEnumerable<string> celebrityIds, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        foreach (var celebrityId in celebrityIds)
        {
            while (true)
            {
                string lastResult;
                try
                {
                    var status = await Book(celebrityId).FlushSettlements();
                    if (status.Unsettled == 0)
                    {
                        break;
                    }

                    lastResult = $"{status.Unsettled} event(s) unsettled";
                }
                catch (Exception exception)
                {
                    lastResult = exception.GetType().Name + ": " + exception.Message;
                }

                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"{celebrityId} did not settle ({lastResult}). Warnings of the exchange:\n{SiloLogs.ExchangeWarnings(Cluster.Options.ClusterId)}");
                }

                await Task.Delay(200);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();

        // Orleans' ADO.NET providers open connections by connection string, in Npgsql's process-wide pools, which
        // outlive the cluster; other tests' clusters need the server's connections.
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        Npgsql.NpgsqlConnection.ClearPool(connection);
    }
}
