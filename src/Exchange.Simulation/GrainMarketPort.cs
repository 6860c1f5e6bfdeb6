using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;

namespace Exchange.Simulation;

/// <summary>The simulator inside a silo: the same grain calls the HTTP API makes on a fan's behalf.</summary>
public sealed class GrainMarketPort(IGrainFactory grains, Func<CancellationToken, Task<IReadOnlyList<string>>> listCelebrities) : IMarketPort
{
    public Task<IReadOnlyList<string>> CelebritiesAsync(CancellationToken ct) => listCelebrities(ct);

    public Task<MarketQuote> QuoteAsync(string celebrityId, CancellationToken ct) => grains.ByKey<IOrderBookGrain>(celebrityId).GetQuote();

    public async Task EnsureCelebrityAsync(string celebrityId, long seconds, long priceFen, CancellationToken ct)
    {
        var celebrity = grains.ByKey<ICelebrityGrain>(celebrityId);
        await celebrity.List(new CelebrityListing(celebrityId, "entrepreneur", "load-agency", 1_000_000, 100_000));
        await grains.ByKey<IWalletGrain>(Abstractions.AccountIds.Treasury).Deposit("load:" + celebrityId, checked(seconds * priceFen));
        await celebrity.IssueTime("load:" + celebrityId, seconds, priceFen);
    }

    public Task<AuditReport> AuditAsync(CancellationToken ct) => grains.ByKey<IOperatorGrain>("load").RunAudit();

    public async Task PrepareFanAsync(string fanId, long cashFen, CancellationToken ct) => await TopUpAsync(fanId, cashFen, ct);

    public async Task<bool> TopUpAsync(string fanId, long cashFen, CancellationToken ct)
    {
        var wallet = grains.ByKey<IWalletGrain>(fanId);
        if (SimulatorDeposits.TopUp(await wallet.GetSnapshot(), cashFen) is not { } topUp)
        {
            return false;
        }

        await wallet.Deposit(topUp.IdempotencyKey, topUp.AmountFen);
        return true;
    }

    public async Task IssueTimeAsync(string celebrityId, string issuanceId, long seconds, long priceFen, CancellationToken ct)
    {
        var treasury = grains.ByKey<IWalletGrain>(Abstractions.AccountIds.Treasury);
        if (SimulatorDeposits.Funding(await treasury.GetSnapshot(), issuanceId, seconds, priceFen) is { } funding)
        {
            await treasury.Deposit(funding.IdempotencyKey, funding.AmountFen);
        }

        if ((await grains.ByKey<ICelebrityGrain>(celebrityId).IssueTime(issuanceId, seconds, priceFen)).Error is { } error)
        {
            throw new InvalidOperationException($"Issuing time of {celebrityId} failed: {error.Code}: {error.Message}");
        }
    }

    public Task<OrderResult> PlaceAsync(string fanId, PlaceOrderCommand order, CancellationToken ct) => grains.ByKey<IWalletGrain>(fanId).PlaceOrder(order);

    public Task CancelAsync(string fanId, string orderId, CancellationToken ct) => grains.ByKey<IWalletGrain>(fanId).CancelOrder(orderId);

    public Task<OrderResult> RepriceAsync(string fanId, string orderId, long priceFen, CancellationToken ct) => grains.ByKey<IWalletGrain>(fanId).RepriceOrder(orderId, priceFen);

    public Task<WalletSnapshot> WalletAsync(string fanId, CancellationToken ct) => grains.ByKey<IWalletGrain>(fanId).GetSnapshot();

    public Task<IReadOnlyList<SlotView>> SlotsAsync(string celebrityId, CancellationToken ct) => grains.ByKey<ISchedulerGrain>(celebrityId).GetSlots(false);

    public async Task<bool> BookAsync(string fanId, string celebrityId, string slotId, CancellationToken ct) =>
        (await grains.ByKey<ISchedulerGrain>(celebrityId).Book(slotId, fanId)).Error is null;

    public async Task<bool> ChatAsync(string fanId, string celebrityId, long seconds, CancellationToken ct)
    {
        var chat = grains.ByKey<IChatSessionGrain>(IChatSessionGrain.KeyOf(celebrityId, Guid.NewGuid().ToString("N")));
        if ((await chat.Open(fanId, seconds, SimulatedChat.Question)).Error is not null)
        {
            return false;
        }

        // Answered as the celebrity's side answers: by its agent, if it has one.
        var profile = await grains.ByKey<ICelebrityGrain>(celebrityId).GetProfile();
        var answeredBy = profile is { AgentId.Length: > 0 } ? profile.AgentId : celebrityId;
        return (await chat.Post(answeredBy, true, SimulatedChat.Answer)).Error is null && (await chat.End(fanId, false)).Error is null;
    }
}
