using System.Collections.Concurrent;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Simulation;

namespace Exchange.Client.Api;

/// <summary>
/// The simulator over HTTP: the operator key makes one fan key per simulated fan and funds it; each fan then acts
/// with its own key, exactly like an API client. With several silo addresses, each fan sticks to one of them, so
/// the load spreads over the cluster the way a load balancer would spread clients.
/// </summary>
public sealed class HttpMarketPort(IReadOnlyList<Uri> silos, ExchangeApiClient operatorClient) : IMarketPort
{
    public HttpMarketPort(Uri baseAddress, ExchangeApiClient operatorClient)
        : this([baseAddress], operatorClient)
    {
    }

    private readonly ConcurrentDictionary<string, ExchangeApiClient> _fans = new();

    public async Task<IReadOnlyList<string>> CelebritiesAsync(CancellationToken ct) =>
        (await operatorClient.ListCelebritiesAsync(ct)).Select(c => c.CelebrityId).ToList();

    public async Task<MarketQuote> QuoteAsync(string celebrityId, CancellationToken ct) => (await operatorClient.GetBookAsync(celebrityId, 1, ct)).Quote;

    public async Task EnsureCelebrityAsync(string celebrityId, long seconds, long priceFen, CancellationToken ct)
    {
        try
        {
            await operatorClient.ListCelebrityAsync(new ListCelebrityRequest
            {
                CelebrityId = celebrityId, DisplayName = celebrityId, Category = "entrepreneur", AgentId = "load-agency", Followers = 1_000_000, AverageViewsPerPost = 100_000,
            }, ct);
        }
        catch (ExchangeApiException listed) when (listed.Code == "already_listed")
        {
        }

        await operatorClient.DepositAsync(Abstractions.AccountIds.Treasury, new MoneyMovementRequest { IdempotencyKey = "load:" + celebrityId, AmountFen = checked(seconds * priceFen) }, ct);
        await operatorClient.IssueTimeAsync(celebrityId, new IssueTimeRequest { IssuanceId = "load:" + celebrityId, Seconds = seconds, PriceFen = priceFen }, ct);
    }

    public Task<AuditReport> AuditAsync(CancellationToken ct) => operatorClient.AuditAsync(ct);

    public async Task PrepareFanAsync(string fanId, long cashFen, CancellationToken ct)
    {
        var key = await operatorClient.CreateKeyAsync(new CreateKeyRequest { AccountId = fanId, Role = "fan" }, ct);
        _fans[fanId] = ExchangeApiClient.Create(silos[_fans.Count % silos.Count], key.Token);
        await TopUpAsync(fanId, cashFen, ct);
    }

    public async Task<bool> TopUpAsync(string fanId, long cashFen, CancellationToken ct)
    {
        if (SimulatorDeposits.TopUp(await operatorClient.GetAccountWalletAsync(fanId, ct), cashFen) is not { } topUp)
        {
            return false;
        }

        await operatorClient.DepositAsync(fanId, new MoneyMovementRequest { IdempotencyKey = topUp.IdempotencyKey, AmountFen = topUp.AmountFen }, ct);
        return true;
    }

    public async Task IssueTimeAsync(string celebrityId, string issuanceId, long seconds, long priceFen, CancellationToken ct)
    {
        var treasury = await operatorClient.GetAccountWalletAsync(Abstractions.AccountIds.Treasury, ct);
        if (SimulatorDeposits.Funding(treasury, issuanceId, seconds, priceFen) is { } funding)
        {
            await operatorClient.DepositAsync(Abstractions.AccountIds.Treasury, new MoneyMovementRequest { IdempotencyKey = funding.IdempotencyKey, AmountFen = funding.AmountFen }, ct);
        }

        await operatorClient.IssueTimeAsync(celebrityId, new IssueTimeRequest { IssuanceId = issuanceId, Seconds = seconds, PriceFen = priceFen }, ct);
    }

    public async Task<OrderResult> PlaceAsync(string fanId, PlaceOrderCommand order, CancellationToken ct)
    {
        try
        {
            return await Fan(fanId).PlaceOrderAsync(new PlaceOrderRequest
            {
                ClientOrderId = order.ClientOrderId,
                CelebrityId = order.CelebrityId,
                Side = order.Side,
                Type = order.Type,
                TimeInForce = order.TimeInForce,
                PriceFen = order.Type == Domain.Orders.OrderType.Limit ? order.LimitPriceFen : null,
                Quantity = order.Quantity,
            }, ct);
        }
        catch (ExchangeApiException refused) when ((int)refused.Status is >= 400 and < 500 and not 429)
        {
            return OrderResult.Refused(refused.Code, refused.Detail);
        }
    }

    public async Task CancelAsync(string fanId, string orderId, CancellationToken ct)
    {
        try
        {
            await Fan(fanId).CancelOrderAsync(orderId, ct);
        }
        catch (ExchangeApiException)
        {
            // Already filled or cancelled: nothing left to take off the book.
        }
    }

    public async Task<OrderResult> RepriceAsync(string fanId, string orderId, long priceFen, CancellationToken ct)
    {
        try
        {
            return await Fan(fanId).RepriceOrderAsync(orderId, priceFen, ct);
        }
        catch (ExchangeApiException refused) when ((int)refused.Status is >= 400 and < 500 and not 429)
        {
            return OrderResult.Refused(refused.Code, refused.Detail);
        }
    }

    public Task<WalletSnapshot> WalletAsync(string fanId, CancellationToken ct) => Fan(fanId).GetWalletAsync(ct);

    public async Task<IReadOnlyList<SlotView>> SlotsAsync(string celebrityId, CancellationToken ct) => await operatorClient.ListSlotsAsync(celebrityId, false, ct);

    public async Task<bool> BookAsync(string fanId, string celebrityId, string slotId, CancellationToken ct)
    {
        try
        {
            await Fan(fanId).BookSlotAsync(celebrityId, slotId, ct);
            return true;
        }
        catch (ExchangeApiException)
        {
            return false;
        }
    }

    public async Task<bool> ChatAsync(string fanId, string celebrityId, long seconds, CancellationToken ct)
    {
        try
        {
            var chat = await Fan(fanId).OpenChatAsync(celebrityId, new OpenChatRequest { ChatId = Guid.NewGuid().ToString("N"), Seconds = seconds, Message = SimulatedChat.Question }, ct);
            // The operator answers for the celebrity: the simulator has no celebrity keys, and an operator may act for any.
            await operatorClient.SayInChatAsync(celebrityId, chat.ChatId, SimulatedChat.Answer, ct);
            await Fan(fanId).EndChatAsync(celebrityId, chat.ChatId, ct);
            return true;
        }
        catch (ExchangeApiException)
        {
            return false;
        }
    }

    private ExchangeApiClient Fan(string fanId) => _fans.TryGetValue(fanId, out var client) ? client : throw new InvalidOperationException($"{fanId} was not prepared.");
}
