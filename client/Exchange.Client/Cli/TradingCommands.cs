using System.CommandLine;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Client.Api;
using Exchange.Domain.Orders;
using Spectre.Console;

namespace Exchange.Client.Cli;

public static class TradingCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        yield return OrderCommand(cli, "buy", Side.Buy);
        yield return OrderCommand(cli, "sell", Side.Sell);

        var orderId = new Argument<string>("order-id");
        var cancel = new Command("cancel", "Cancel one of your open orders") { orderId };
        cancel.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var result = await api.CancelOrderAsync(parse.GetValue(orderId)!, ct);
            cli.Console.MarkupLineInterpolated($"cancelled [yellow]{result.Order!.OrderId}[/]");
        }));
        yield return cancel;

        var remaining = new Argument<long>("remaining-seconds") { Description = "Seconds the order keeps to trade (fewer than now, at least 1)", CustomParser = WholeNumber.Parser(WholeNumber.Seconds) };
        var reduce = new Command("reduce", "Reduce one of your open orders; it keeps its place in the queue") { orderId, remaining };
        reduce.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var order = (await api.ReduceOrderAsync(parse.GetValue(orderId)!, parse.GetValue(remaining), ct)).Order!;
            cli.Console.MarkupLineInterpolated($"[yellow]{order.OrderId}[/] keeps {order.Quantity - order.FilledQuantity - order.CancelledQuantity} s to trade");
        }));
        yield return reduce;

        var newPrice = new Argument<long>("price") { Description = "New limit price in fen per second (250 = 2.50 CNY/s)", CustomParser = WholeNumber.Parser(WholeNumber.FenPerSecond) };
        var reprice = new Command("reprice", "Give one of your resting limit orders a new price in one step; it queues anew and may trade at once") { orderId, newPrice };
        reprice.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var result = await api.RepriceOrderAsync(parse.GetValue(orderId)!, parse.GetValue(newPrice), ct);
            var order = result.Order!;
            cli.Console.MarkupLineInterpolated($"[yellow]{order.OrderId}[/] now at {Display.Yuan(order.LimitPriceFen)} CNY/s, {order.State}");
            foreach (var fill in result.Fills)
            {
                cli.Console.MarkupLineInterpolated($"  filled {fill.Quantity} s at {Display.Yuan(fill.PriceFen)} CNY/s");
            }
        }));
        yield return reprice;

        var onlyFor = new Option<string?>("--celebrity") { Description = "Only the orders for this celebrity" };
        var cancelAll = new Command("cancel-all", "Cancel all your open orders (or one celebrity's) at once") { onlyFor };
        cancelAll.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var result = await api.CancelAllOrdersAsync(parse.GetValue(onlyFor), ct);
            cli.Console.MarkupLineInterpolated($"cancelled {result.Cancelled.Count} orders");
            foreach (var refusal in result.Refused)
            {
                cli.Console.MarkupLineInterpolated($"  [yellow]{refusal.OrderId}[/] not cancelled: {refusal.Code}: {refusal.Detail}");
            }
        }));
        yield return cancelAll;

        var all = new Option<bool>("--all") { Description = "Include filled and cancelled orders" };
        var ofCelebrity = new Option<string?>("--celebrity") { Description = "Only your orders for this celebrity" };
        var orders = new Command("orders", "Your orders") { all, ofCelebrity };
        orders.SetAction(cli.Run(async (api, parse, ct) =>
            cli.Console.Write(Display.OrdersTable(await api.ListOrdersAsync(parse.GetValue(all), parse.GetValue(ofCelebrity), ct)))));
        yield return orders;

        var limit = new Option<int>("--limit") { Description = "Trades per page (1-500)", DefaultValueFactory = _ => 50 };
        var before = new Option<string?>("--before") { Description = "Start after this trade (the next page's id that the previous page printed)" };
        var csv = new Option<bool>("--csv") { Description = "Every trade (all pages, --limit a request) as CSV, for a spreadsheet or a tax return" };
        var trades = new Command("my-trades", "Your trades, newest first, with the commission each sale paid") { limit, before, csv };
        trades.SetAction(cli.Run(async (api, parse, ct) =>
        {
            if (parse.GetValue(csv))
            {
                // Straight to the output, past the console's rendering, which would wrap long lines.
                await TradesCsv.WriteAllAsync(api, cli.Console.Profile.Out.Writer, parse.GetValue(before), parse.GetValue(limit), ct);
                return;
            }

            var page = await api.GetTradesAsync(parse.GetValue(limit), parse.GetValue(before), ct);
            cli.Console.Write(Display.TradesTable(page.Trades));
            if (page.NextBefore is { } next)
            {
                cli.Console.MarkupLineInterpolated($"older trades: exchange my-trades --before {next}");
            }
        }));
        yield return trades;

        var events = new Option<int?>("--count") { Description = "Stop after this many order, trade and balance events" };
        var feed = new Command("my-feed", "Your orders, trades and balances as they change (Ctrl+C to stop)") { events };
        feed.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var limit = parse.GetValue(events);
            var seen = 0;
            // After a reconnect, changes made while it was cut are not replayed: read the wallet for the whole picture.
            await FeedFollower.FollowAsync(cli.Console, api.WatchAccountAsync, "connected; watching your account (Ctrl+C to stop)", e =>
            {
                cli.Console.MarkupLine(Display.AccountChange(e));
                return limit is not { } max || ++seen < max;
            }, ct);
        }));
        yield return feed;

        var rotate = new Command("rotate-key", "Replace your API key (if it may have leaked): prints the new one once; the one used is revoked");
        rotate.SetAction(cli.Run(async (api, _, ct) =>
        {
            // Made here rather than by the exchange, so that an answer that never comes cannot leave the caller without a key.
            var token = ApiKeyToken.Create().Token;
            CreatedKey key;
            try
            {
                key = await api.RotateKeyAsync(token, ct);
            }
            catch (Exception failure) when (failure is not ExchangeApiException { Status: < System.Net.HttpStatusCode.InternalServerError })
            {
                cli.Console.MarkupLine("[yellow]The exchange did not confirm the new key. One of the two works: your old key, or this one:[/]");
                cli.Console.WriteLine(token);
                throw;
            }

            cli.Console.MarkupLineInterpolated($"new key {key.KeyId} for {key.AccountId} ({key.Role}); the old one no longer works:");
            cli.Console.WriteLine(key.Token);
        }));
        yield return rotate;

        var keys = new Command("keys", "Your account's API keys (never their secrets); add a read-only one for an app, or revoke one");
        keys.SetAction(cli.Run(async (api, _, ct) => cli.Console.Write(Display.KeysTable(await api.ListMyKeysAsync(ct)))));
        var readOnlyKey = new Command("read-only", "A key for an app that shows your account: it reads what you may read and changes nothing (shown once)");
        readOnlyKey.SetAction(cli.Run(async (api, _, ct) =>
        {
            // Made here, so that a request repeated after a lost answer names the same key instead of making another.
            var key = await api.CreateReadOnlyKeyAsync(ApiKeyToken.Create().Token, ct);
            cli.Console.MarkupLineInterpolated($"read-only key {key.KeyId} for {key.AccountId}; revoke it with: keys revoke {key.KeyId}");
            cli.Console.WriteLine(key.Token);
        }));
        var revokedKeyId = new Argument<string>("key-id");
        var revokeKey = new Command("revoke", "Revoke one of your account's other keys at once") { revokedKeyId };
        revokeKey.SetAction(cli.Run(async (api, p, ct) =>
        {
            await api.RevokeMyKeyAsync(p.GetValue(revokedKeyId)!, ct);
            cli.Console.MarkupLineInterpolated($"revoked {p.GetValue(revokedKeyId)}");
        }));
        keys.Subcommands.Add(readOnlyKey);
        keys.Subcommands.Add(revokeKey);
        yield return keys;

        var wallet = new Command("wallet", "Your cash and seconds, available and reserved");
        wallet.SetAction(cli.Run(async (api, _, ct) => cli.Console.Write(await WalletWithPricesAsync(api, await api.GetWalletAsync(ct), ct))));
        yield return wallet;
    }

    public static async Task<Table> WalletWithPricesAsync(ExchangeApiClient api, WalletSnapshot wallet, CancellationToken ct) =>
        Display.WalletTable(wallet, wallet.Holdings.Count == 0 ? new Dictionary<string, long?>()
            : (await api.ListCelebritiesAsync(ct)).ToDictionary(c => c.CelebrityId, c => c.Quote.LastPriceFen));

    private static Command OrderCommand(CliContext cli, string name, Side side)
    {
        var celebrity = new Argument<string>("celebrity");
        var quantity = new Argument<long>("seconds") { Description = "Quantity in whole seconds", CustomParser = WholeNumber.Parser(WholeNumber.Seconds) };
        var price = new Option<long?>("--price") { Description = "Limit price in fen per second (250 = 2.50 CNY/s); omit with --market", CustomParser = WholeNumber.OptionalParser(WholeNumber.FenPerSecond) };
        var market = new Option<bool>("--market") { Description = "Market order: trade now at the best prices within today's band" };
        var tif = new Option<TimeInForce>("--tif") { Description = "GoodTillCancel, Day (cancelled when the trading day ends), ImmediateOrCancel or FillOrKill", DefaultValueFactory = _ => TimeInForce.GoodTillCancel };
        var stop = new Option<long?>("--stop")
        {
            Description = side == Side.Sell
                ? "Stop price in fen per second: the order waits off the book, unseen, until a trade at or below it (a stop-loss); --tif says how long it waits"
                : "Stop price in fen per second: the order waits off the book, unseen, until a trade at or above it; --tif says how long it waits",
            CustomParser = WholeNumber.OptionalParser(WholeNumber.FenPerSecond),
        };
        var clientOrderId = new Option<string?>("--client-order-id") { Description = "Your id for this order; repeating it never places it twice" };
        var command = new Command(name, $"Place a {name} order") { celebrity, quantity, price, market, tif, stop, clientOrderId };
        command.Validators.Add(result =>
        {
            // Refused here rather than guessed: a price given with --market was dropped silently, so an order meant
            // to wait at a limit traded at whatever the book offered.
            // Whether a price was given, not its value: a price that is not a whole number has an error of its own.
            var (isMarket, hasPrice) = (result.GetValue(market), result.GetResult(price) is not null);
            if (isMarket && hasPrice)
            {
                result.AddError("--market and --price do not go together: a market order trades at the best prices within today's band.");
            }
            else if (!isMarket && !hasPrice)
            {
                result.AddError("Give --price (fen per second) for a limit order, or --market.");
            }
        });
        command.SetAction(cli.Run(async (api, parse, ct) =>
        {
            // A market order's good-till-cancel is sent as given: the exchange takes it as immediate-or-cancel.
            var request = new PlaceOrderRequest
            {
                ClientOrderId = parse.GetValue(clientOrderId) ?? Guid.NewGuid().ToString("N"),
                CelebrityId = parse.GetValue(celebrity)!,
                Side = side,
                Type = parse.GetValue(market) ? OrderType.Market : OrderType.Limit,
                TimeInForce = parse.GetValue(tif),
                PriceFen = parse.GetValue(price),
                Quantity = parse.GetValue(quantity),
                StopPriceFen = parse.GetValue(stop),
            };
            // The client order id is fixed above, so the client may repeat the request without placing the order twice.
            var result = await api.PlaceOrderAsync(request, ct);
            var order = result.Order!;
            cli.Console.MarkupLineInterpolated($"order [yellow]{order.OrderId}[/] {order.State}: filled {order.FilledQuantity} of {order.Quantity} s{(result.WasReplay ? " (already placed earlier)" : "")}");
            if (order.StopPriceFen is { } stopFen && order.FilledQuantity == 0)
            {
                cli.Console.MarkupLineInterpolated($"  waits off the book until a trade at or {(side == Side.Sell ? "below" : "above")} {Display.Yuan(stopFen)} CNY/s");
            }
            foreach (var fill in result.Fills)
            {
                cli.Console.MarkupLineInterpolated($"  [green]fill[/] {fill.Quantity} s @ {Display.Yuan(fill.PriceFen)} CNY/s ({fill.TradeId})");
            }
        }));
        return command;
    }
}
