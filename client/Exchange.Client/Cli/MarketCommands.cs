using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Exchange.Client.Cli;

public static class MarketCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        var category = new Option<string?>("--category") { Description = "Only this category: actor, athlete, musician, gamer, model or entrepreneur" };
        var traded = new Option<bool>("--traded") { Description = "Only celebrities that have traded" };
        var search = new Option<string?>("--search") { Description = "Only those whose id or name contains this (any case)" };
        var sort = new Option<string?>("--sort") { Description = "gainers or losers: ranked by today's move from the reference price, largest first" };
        sort.AcceptOnlyFromAmong("gainers", "losers");
        var favourites = new Option<bool>("--favourites") { Description = "Only the celebrities you follow (exchange favourite <id>), in the order you added them" };
        var celebrities = new Command("celebrities", "List celebrities with their last price and band") { category, traded, search, sort, favourites };
        celebrities.Validators.Add(result =>
        {
            if (result.GetValue(favourites) && (result.GetResult(category) is not null || result.GetResult(search) is not null || result.GetValue(traded) || result.GetResult(sort) is not null))
            {
                result.AddError("--favourites lists every celebrity you follow, in the order you added them; it does not go with --category, --search, --traded or --sort.");
            }
        });
        celebrities.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var table = new Table().AddColumns("id", "name", "category", "last", "reference", "band", "bid", "ask", "status");
            var listed = parse.GetValue(favourites)
                ? await api.ListFavouritesAsync(ct)
                : await api.ListCelebritiesAsync(ct, parse.GetValue(category), parse.GetValue(search), parse.GetValue(traded) ? true : null, parse.GetValue(sort));
            foreach (var c in listed)
            {
                var q = c.Quote;

                // A book opens with the first time the platform issues; until then it has no reference price or band.
                table.AddRow(Markup.Escape(c.CelebrityId), Markup.Escape(c.DisplayName), c.Category, Display.Yuan(q.LastPriceFen),
                    q.IsOpen ? Display.Yuan(q.ReferencePriceFen) : "-", q.IsOpen ? $"{Display.Yuan(q.BandLowerFen)}-{Display.Yuan(q.BandUpperFen)}" : "-",
                    Display.Yuan(q.BestBidFen), Display.Yuan(q.BestAskFen),
                    q.IsDelisted ? "[red]delisted[/]" : !q.IsOpen ? "not open" : q.HaltedUntil is null ? "trading" : "[red]halted[/]");
            }

            cli.Console.Write(table);
        }));

        var celebrityArgument = new Argument<string>("celebrity") { Description = "Celebrity id, e.g. lin-yue" };
        var levels = new Option<int>("--levels") { Description = "Price levels per side", DefaultValueFactory = _ => 10 };
        var book = new Command("book", "Show a celebrity's order book") { celebrityArgument, levels };
        book.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var depth = await api.GetBookAsync(parse.GetValue(celebrityArgument)!, parse.GetValue(levels), ct);
            var quote = depth.Quote;
            var table = new Table().Title($"{Markup.Escape(quote.CelebrityId)}  last {Display.Yuan(quote.LastPriceFen)} CNY/s")
                .AddColumns("bid qty", "bid", "ask", "ask qty");
            for (var i = 0; i < Math.Max(depth.Bids.Count, depth.Asks.Count); i++)
            {
                var bid = i < depth.Bids.Count ? depth.Bids[i] : null;
                var ask = i < depth.Asks.Count ? depth.Asks[i] : null;
                table.AddRow(bid?.Quantity.ToString(CultureInfo.InvariantCulture) ?? "", bid is null ? "" : Display.Yuan(bid.PriceFen),
                    ask is null ? "" : Display.Yuan(ask.PriceFen), ask?.Quantity.ToString(CultureInfo.InvariantCulture) ?? "");
            }

            cli.Console.Write(table);
            if (Display.StoppedTrading(quote) is { } stopped)
            {
                cli.Console.MarkupLineInterpolated($"[red]{stopped}[/]");
            }
        }));

        var tradesCelebrity = new Argument<string>("celebrity");
        var trades = new Command("trades", "Recent trades of a celebrity") { tradesCelebrity };
        trades.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var table = new Table().AddColumns("time (UTC)", "price", "qty", "trade");
            foreach (var t in await api.GetTradesAsync(parse.GetValue(tradesCelebrity)!, 50, ct))
            {
                table.AddRow(t.ExecutedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture), Display.Yuan(t.PriceFen), t.Quantity.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.TradeId));
            }

            cli.Console.Write(table);
        }));

        var watchCelebrities = new Argument<string[]>("celebrities") { Description = "Only these celebrities (all when none)", Arity = ArgumentArity.ZeroOrMore };
        var count = new Option<int?>("--count") { Description = "Stop after this many trades" };
        var watch = new Command("watch", "Live tape: trades and top of book as they happen (Ctrl+C to stop)") { watchCelebrities, count };
        watch.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var limit = parse.GetValue(count);
            var seen = 0;
            await FeedFollower.FollowAsync(cli.Console, token => api.WatchAsync(parse.GetValue(watchCelebrities) ?? [], token),
                "connected; watching the tape (Ctrl+C to stop)", e =>
                {
                    if (e.Trade is { } t)
                    {
                        cli.Console.MarkupLineInterpolated($"[green]TRADE[/] {t.ExecutedAt:HH:mm:ss} {t.CelebrityId} {t.Quantity} s @ {Display.Yuan(t.PriceFen)} CNY/s");
                        return limit is not { } max || ++seen < max;
                    }

                    if (e.Quote is { } q)
                    {
                        var stopped = Display.StoppedTrading(q) is { } why ? ", " + why : "";
                        cli.Console.MarkupLineInterpolated($"[grey]QUOTE[/] {q.CelebrityId} bid {Display.Yuan(q.BestBidFen)} / ask {Display.Yuan(q.BestAskFen)}{stopped}");
                    }

                    return true;
                }, ct);
        }));

        var rules = new Command("rules", "The trading rules in force: commission, band, halts, order limit, redemption tiers");
        rules.SetAction(cli.Run(async (api, _, ct) =>
        {
            var r = await api.GetRulesAsync(ct);
            var table = new Table().AddColumns("rule", "in force");
            table.AddRow("commission", $"{Percent(r.CommissionBasisPoints)} of each trade, paid by the seller from the proceeds, rounded half up to the fen");
            table.AddRow("tick", $"{Display.Yuan(r.TickFen)} CNY per second");
            table.AddRow("daily band", $"+/-{Percent(r.PriceBandBasisPoints)} of the reference price; a trading day starts at midnight {Markup.Escape(r.TradingDayTimeZone)}");
            table.AddRow("volatility halt", $"a move of more than {Percent(r.VolatilityHaltMoveBasisPoints)} within {r.VolatilityHaltWindow.TotalMinutes:0.#} min halts the book for {r.VolatilityHaltDuration.TotalMinutes:0.#} min");
            table.AddRow("largest order", $"{Display.Yuan(r.MaxOrderNotionalFen)} CNY of price x quantity");
            table.AddRow("redemption", $"text chat from {r.TextChatMinimumSeconds} s, video call from {r.VideoCallMinimumSeconds} s, meet-up from {r.MeetUpMinimumSeconds} s; "
                + $"a fan may cancel a booking until {r.FanCancellationCutoff.TotalHours:0.#} h before it starts");
            cli.Console.Write(table);
        }));

        // Following and unfollowing differ only in the call and in what they say afterwards.
        Command FavouriteCommand(string name, string description, Func<Api.ExchangeApiClient, string, CancellationToken, Task> change, string done)
        {
            var celebrity = new Argument<string>("celebrity") { Description = "Celebrity id, e.g. lin-yue" };
            var command = new Command(name, description) { celebrity };
            command.SetAction(cli.Run(async (api, parse, ct) =>
            {
                await change(api, parse.GetValue(celebrity)!, ct);
                cli.Console.MarkupLineInterpolated($"{done} {parse.GetValue(celebrity)}");
            }));
            return command;
        }

        var follow = FavouriteCommand("favourite", "Follow a celebrity: it is listed by celebrities --favourites and starred on the web page",
            (api, celebrity, ct) => api.FollowAsync(celebrity, ct), "following");
        var unfollow = FavouriteCommand("unfavourite", "Stop following a celebrity", (api, celebrity, ct) => api.UnfollowAsync(celebrity, ct), "no longer following");

        return [celebrities, book, trades, watch, rules, follow, unfollow];

        static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
    }
}
