using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;

namespace Exchange.Simulation;

/// <summary>
/// A living market: market makers quote both sides around the last price, momentum traders chase the latest move,
/// noise traders trade at random inside the band, and now and then a fan chats or books a slot. During a volatility
/// halt makers and noise traders send limit orders for the reopening auction, as real ones would; momentum traders,
/// whose orders are market orders, wait. Everything goes through the same port as any fan, so the audit covers the
/// simulator like everyone else. Over hours, the seconds fans redeem and the fees they pay drain the market: so the
/// platform issues more time on a book nobody offers any on, and the fans are paid now and then.
/// </summary>
public sealed class MarketSimulator(IMarketPort market, SimulationOptions options)
{
    private readonly Random _random = new(options.Seed);
    private readonly Dictionary<string, Dictionary<Side, string>> _quotesByMaker = new();
    private readonly Dictionary<string, long> _previousPrice = new();
    private readonly Dictionary<string, int> _sightingsWithoutOffer = new();
    private long _rounds;
    private List<string> _celebrities = [];
    private List<(string Id, Role Role)> _fans = [];

    private enum Role
    {
        MarketMaker,
        Momentum,
        Noise,
    }

    public SimulationStats Stats { get; } = new();

    public async Task PrepareAsync(CancellationToken ct)
    {
        var all = await market.CelebritiesAsync(ct);
        _celebrities = all.OrderBy(_ => _random.Next()).Take(options.ActiveCelebrities).ToList();
        _fans =
        [
            .. Enumerable.Range(1, options.MarketMakers).Select(i => ($"{options.FanPrefix}-maker-{i:D2}", Role.MarketMaker)),
            .. Enumerable.Range(1, options.MomentumTraders).Select(i => ($"{options.FanPrefix}-momentum-{i:D2}", Role.Momentum)),
            .. Enumerable.Range(1, options.NoiseTraders).Select(i => ($"{options.FanPrefix}-noise-{i:D2}", Role.Noise)),
        ];
        foreach (var (fan, _) in _fans)
        {
            await market.PrepareFanAsync(fan, options.StartingCashFen, ct);
        }
    }

    /// <summary>Runs rounds until <paramref name="rounds"/> are done or <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(int rounds, CancellationToken ct)
    {
        if (_celebrities.Count == 0)
        {
            await PrepareAsync(ct);
        }

        for (var round = 0; round < rounds && !ct.IsCancellationRequested && _celebrities.Count > 0; round++)
        {
            if (++_rounds % Math.Max(1, options.TopUpEveryRounds) == 0)
            {
                await PayDayAsync(ct);
            }

            foreach (var (fan, role) in _fans)
            {
                try
                {
                    await ActAsync(fan, role, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    // A failed call (a silo restarting, a timeout) is what real fans meet too; they try again next round.
                    Stats.Failure();
                }
            }

            if (options.Pause > TimeSpan.Zero)
            {
                await Task.Delay(options.Pause, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ActAsync(string fan, Role role, CancellationToken ct)
    {
        var celebrityId = _celebrities[_random.Next(_celebrities.Count)];
        var quote = await market.QuoteAsync(celebrityId, ct);
        if (!quote.IsOpen || (quote.HaltedUntil is not null && !quote.AuctionCall))
        {
            return;
        }

        var reference = quote.LastPriceFen ?? quote.ReferencePriceFen;
        if (await IssueIfNoneOfferedAsync(celebrityId, quote, reference, ct))
        {
            return;
        }

        switch (role)
        {
            case Role.MarketMaker:
                await MakeMarketAsync(fan, celebrityId, quote, reference, ct);
                break;
            case Role.Momentum when quote.AuctionCall:
                break;
            case Role.Momentum:
                var previous = _previousPrice.GetValueOrDefault(celebrityId, reference);
                _previousPrice[celebrityId] = reference;
                var side = reference >= previous ? Side.Buy : Side.Sell;
                await PlaceAsync(fan, celebrityId, side, OrderType.Market, TimeInForce.ImmediateOrCancel, 0, _random.Next(1, 30), ct);
                break;
            default:
                if (_random.Next(40) == 0)
                {
                    await RedeemAsync(fan, celebrityId, ct);
                    return;
                }

                var price = Clamp(reference + _random.Next(-3, 4) * Math.Max(1, reference / 200), quote);
                await PlaceAsync(fan, celebrityId, _random.Next(2) == 0 ? Side.Buy : Side.Sell, OrderType.Limit,
                    _random.Next(4) == 0 && !quote.AuctionCall ? TimeInForce.ImmediateOrCancel : TimeInForce.GoodTillCancel, price, _random.Next(1, 50), ct);
                break;
        }
    }

    /// <summary>
    /// Keeps one bid and, when it holds seconds, one ask around the reference: a quote still resting is moved to the new
    /// price in one step (as a real market maker would, so that it is never out of the market or in it twice); one that
    /// traded or was refused is replaced by a fresh one.
    /// </summary>
    private async Task MakeMarketAsync(string fan, string celebrityId, MarketQuote quote, long reference, CancellationToken ct)
    {
        var key = fan + "|" + celebrityId;
        var quotes = _quotesByMaker.GetValueOrDefault(key) ?? new Dictionary<Side, string>();
        var spread = Math.Max(1, reference / 100);
        var size = _random.Next(20, 200);
        await RequoteAsync(fan, celebrityId, quotes, Side.Buy, Clamp(reference - spread, quote), size, ct);

        var holding = (await market.WalletAsync(fan, ct)).Holdings.FirstOrDefault(h => h.CelebrityId == celebrityId);
        var available = holding?.Available ?? 0;
        if (quotes.ContainsKey(Side.Sell) || available > 0)
        {
            await RequoteAsync(fan, celebrityId, quotes, Side.Sell, Clamp(reference + spread, quote), Math.Min(size, available), ct);
        }

        _quotesByMaker[key] = quotes;
    }

    private async Task RequoteAsync(string fan, string celebrityId, Dictionary<Side, string> quotes, Side side, long price, long size, CancellationToken ct)
    {
        if (quotes.Remove(side, out var resting))
        {
            var moved = await market.RepriceAsync(fan, resting, price, ct);
            Stats.Order(moved.Succeeded, moved.Fills.Count, celebrityId);
            if (moved.Succeeded)
            {
                Stats.Reprice();
            }

            if (moved.Order is { State: OrderState.Open or OrderState.PartiallyFilled })
            {
                quotes[side] = resting;
                return;
            }

            if (!moved.Succeeded)
            {
                // Refused (no cash for a higher bid, a band that moved): taken off rather than left behind untracked.
                await market.CancelAsync(fan, resting, ct);
            }
        }

        if (size > 0 && await PlaceAsync(fan, celebrityId, side, OrderType.Limit, TimeInForce.GoodTillCancel, price, size, ct) is { } placed)
        {
            quotes[side] = placed;
        }
    }

    /// <summary>
    /// The platform's desk: a book found without any time offered several times in a row (a demand its fans' holdings no
    /// longer meet, pinned at the band's top) gets more of the celebrity's time, a little above the last price. A book in
    /// a reopening auction is left to it.
    /// </summary>
    private async Task<bool> IssueIfNoneOfferedAsync(string celebrityId, MarketQuote quote, long reference, CancellationToken ct)
    {
        if (quote.BestAskFen is not null || quote.AuctionCall || options.IssueAfterSightingsWithoutOffer <= 0)
        {
            _sightingsWithoutOffer.Remove(celebrityId);
            return false;
        }

        var sightings = _sightingsWithoutOffer.GetValueOrDefault(celebrityId) + 1;
        if (sightings < options.IssueAfterSightingsWithoutOffer)
        {
            _sightingsWithoutOffer[celebrityId] = sightings;
            return false;
        }

        _sightingsWithoutOffer.Remove(celebrityId);
        var price = Clamp(reference + Math.Max(1, reference / 100), quote);
        var seconds = Math.Clamp(options.IssuanceValueFen / price, 50, 5_000);
        await market.IssueTimeAsync(celebrityId, $"{options.FanPrefix}-desk-{Guid.NewGuid():N}", seconds, price, ct);
        Stats.Issuance();
        return true;
    }

    /// <summary>Brings every simulated fan's cash back to what it started with, as their pay would.</summary>
    private async Task PayDayAsync(CancellationToken ct)
    {
        foreach (var (fan, _) in _fans)
        {
            try
            {
                if (await market.TopUpAsync(fan, options.StartingCashFen, ct))
                {
                    Stats.TopUp();
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Stats.Failure();
            }
        }
    }

    private async Task RedeemAsync(string fan, string celebrityId, CancellationToken ct)
    {
        var holding = (await market.WalletAsync(fan, ct)).Holdings.FirstOrDefault(h => h.CelebrityId == celebrityId);
        if (holding is null || holding.Available == 0)
        {
            return;
        }

        var slot = (await market.SlotsAsync(celebrityId, ct)).FirstOrDefault(s => s.Status == SlotStatus.Open && s.Seconds <= holding.Available);
        if (slot is not null && await market.BookAsync(fan, celebrityId, slot.SlotId, ct))
        {
            Stats.Booking();
        }
        else if (await market.ChatAsync(fan, celebrityId, Math.Min(holding.Available, _random.Next(1, 30)), ct))
        {
            Stats.Chat();
        }
    }

    private async Task<string?> PlaceAsync(string fan, string celebrityId, Side side, OrderType type, TimeInForce tif, long price, long quantity, CancellationToken ct)
    {
        var result = await market.PlaceAsync(fan, new PlaceOrderCommand(Guid.NewGuid().ToString("N"), celebrityId, side, type, tif, price, quantity), ct);
        Stats.Order(result.Succeeded, result.Fills.Count, celebrityId);
        return result.Order is { State: OrderState.Open or OrderState.PartiallyFilled } open ? open.OrderId : null;
    }

    private static long Clamp(long price, MarketQuote quote) => Math.Clamp(price, Math.Max(1, quote.BandLowerFen), Math.Max(1, quote.BandUpperFen));
}
