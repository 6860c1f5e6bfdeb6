using System.Globalization;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Domain.Orders;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>How amounts look on screen: fen shown as yuan with two decimals, never through floating point.</summary>
public static class Display
{
    public static string Yuan(long fen)
    {
        var sign = fen < 0 ? "-" : "";
        var magnitude = Math.Abs((decimal)fen) / 100m;
        return sign + magnitude.ToString("#,0.00", CultureInfo.InvariantCulture);
    }

    public static string Yuan(long? fen) => fen is { } value ? Yuan(value) : "-";

    /// <summary>
    /// Why a book takes no orders, or null while it trades. A delisted book's quote also reads as halted, with the reason
    /// after "delisted: " (for clients that know only halts); this says it once. A volatility halt takes limit orders for
    /// its reopening auction, and says what that would trade now.
    /// </summary>
    public static string? StoppedTrading(MarketQuote quote) =>
        quote.IsDelisted ? "delisted, no longer trades: " + quote.HaltReason?.Replace("delisted: ", "", StringComparison.Ordinal)
        : quote.HaltedUntil is { } until ? $"halted{(until == DateTimeOffset.MaxValue ? "" : $" until {until:u}")}: {quote.HaltReason}{AuctionCall(quote)}"
        : null;

    private static string AuctionCall(MarketQuote quote) =>
        !quote.AuctionCall ? ""
        : quote.AuctionPriceFen is { } price ? $"; limit orders taken for the reopening auction, now {quote.AuctionQuantity} s at {Yuan(price)}"
        : "; limit orders taken for the reopening auction, nothing crosses yet";

    public static Table OrdersTable(IEnumerable<OrderView> orders)
    {
        var table = new Table().AddColumns("order", "celebrity", "side", "type", "price", "qty", "filled", "cancelled", "state");
        foreach (var order in orders)
        {
            table.AddRow(Markup.Escape(order.OrderId), Markup.Escape(order.CelebrityId), order.Side.ToString(),
                OrderKind(order),
                order.LimitPriceFen > 0 ? Yuan(order.LimitPriceFen) : "market", order.Quantity.ToString(CultureInfo.InvariantCulture),
                order.FilledQuantity.ToString(CultureInfo.InvariantCulture), order.CancelledQuantity.ToString(CultureInfo.InvariantCulture), order.State.ToString());
        }

        return table;
    }

    /// <summary>"Limit", "Limit, day", "Market, stop 4.60 (triggered)": what a fan needs to tell its open orders apart.</summary>
    public static string OrderKind(OrderView order) =>
        order.Type + (order.TimeInForce == TimeInForce.Day ? ", day" : "")
        + (order.StopPriceFen is { } stop ? $", stop {Yuan(stop)}{(order.StopTriggered ? " (triggered)" : "")}" : "");

    public static Table KeysTable(IEnumerable<KeyInfo> keys)
    {
        var table = new Table().AddColumns("key", "account", "role", "created", "revoked");
        foreach (var key in keys)
        {
            table.AddRow(key.KeyId, Markup.Escape(key.AccountId), KeyRole(key.Role, key.ReadOnly), key.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                key.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "");
        }

        return table;
    }

    public static string KeyRole(string role, bool readOnly) => readOnly ? role + ", read-only" : role;

    public static Table WithdrawalsTable(IEnumerable<WithdrawalView> withdrawals)
    {
        var table = new Table().AddColumns("requested (UTC)", "account", "request", "CNY", "status", "decided (UTC)", "reference or reason");
        foreach (var w in withdrawals)
        {
            table.AddRow(Minute(w.RequestedAt), Markup.Escape(w.AccountId), Markup.Escape(w.RequestId),
                Yuan(w.AmountFen), w.Status, w.DecidedAt is { } decided ? Minute(decided) : "", Markup.Escape(w.Note ?? ""));
        }

        return table;
    }

    public static Table TopUpsTable(IEnumerable<PaymentRecord> payments)
    {
        var table = new Table().AddColumns("received (UTC)", "payment", "CNY");
        foreach (var payment in payments)
        {
            table.AddRow(Minute(payment.ReceivedAt), Markup.Escape(payment.PaymentId), Yuan(payment.AmountFen));
        }

        return table;
    }

    public static Table AdjustmentsTable(IEnumerable<CashAdjustment> adjustments)
    {
        var table = new Table().AddColumns("made (UTC)", "CNY", "note");
        foreach (var adjustment in adjustments)
        {
            table.AddRow(Minute(adjustment.MadeAt), SignedYuan(adjustment.AmountFen), Markup.Escape(adjustment.Note ?? ""));
        }

        return table;
    }

    private static string Minute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Cash in or out of an account, or a gain: +3.69, -2.00, +0.00; "-" when unknown.</summary>
    private static string SignedYuan(long? fen) => (fen >= 0 ? "+" : "") + Yuan(fen);

    /// <summary>One line of `exchange my-feed`, as Spectre markup with everything from the server escaped.</summary>
    public static string AccountChange(AccountFeedEvent change)
    {
        static string Seconds(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
        if (change.Order is { } order)
        {
            var price = order.LimitPriceFen > 0 ? Yuan(order.LimitPriceFen) + " CNY/s" : "market";
            return $"[yellow]ORDER[/] {Markup.Escape(order.OrderId)} {order.Side.ToString().ToLowerInvariant()} {Markup.Escape(order.CelebrityId)} " +
                $"{Seconds(order.Quantity)} s @ {price}: {order.State}, filled {Seconds(order.FilledQuantity)}, cancelled {Seconds(order.CancelledQuantity)}";
        }

        if (change.Trade is { } trade)
        {
            return $"[green]TRADE[/] {trade.ExecutedAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {trade.Side} {Markup.Escape(trade.CelebrityId)} " +
                $"{Seconds(trade.Quantity)} s @ {Yuan(trade.PriceFen)} CNY/s, fee {Yuan(trade.CommissionFen)}, cash {SignedYuan(trade.CashMovedFen())}";
        }

        var balance = change.Balance!;
        var holdings = balance.Holdings.Select(h =>
            $"; {Markup.Escape(h.CelebrityId)} {Seconds(h.Available)} s available, {Seconds(h.Reserved)} reserved, {Seconds(h.HeldForBookings)} held for bookings");
        var withdrawing = balance.CashHeldForWithdrawalsFen > 0 ? $", {Yuan(balance.CashHeldForWithdrawalsFen)} held for withdrawals" : "";
        return $"[grey]BALANCE[/] cash {Yuan(balance.CashAvailableFen)} CNY available, {Yuan(balance.CashReservedFen)} reserved{withdrawing}{string.Concat(holdings)}";
    }

    /// <summary>The caller's trades, newest first, with what each moved in cash: the seller's proceeds are net of the fee.</summary>
    public static Table TradesTable(IEnumerable<AccountTrade> trades)
    {
        var table = new Table().AddColumns("time (UTC)", "celebrity", "side", "qty", "price", "value", "fee", "cash");
        foreach (var trade in trades)
        {
            table.AddRow(trade.ExecutedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(trade.CelebrityId), trade.Side,
                trade.Quantity.ToString(CultureInfo.InvariantCulture), Yuan(trade.PriceFen), Yuan(trade.NotionalFen), Yuan(trade.CommissionFen), SignedYuan(trade.CashMovedFen()));
        }

        return table;
    }

    public static Table ProfilesTable(IEnumerable<CelebrityProfile> profiles)
    {
        var table = new Table().AddColumns("id", "category", "agent", "followers", "views/post", "issued s", "redeemed s", "status");
        foreach (var profile in profiles)
        {
            var status = profile.DelistReason is { } delisted ? $"delisted: {delisted}" : profile.FlagReason is { } flag ? $"flagged: {flag}" : "listed";
            table.AddRow(Markup.Escape(profile.CelebrityId), Markup.Escape(profile.Category), Markup.Escape(profile.AgentId),
                profile.Followers.ToString("#,0", CultureInfo.InvariantCulture), profile.AverageViewsPerPost.ToString("#,0", CultureInfo.InvariantCulture),
                profile.IssuedSeconds.ToString("#,0", CultureInfo.InvariantCulture), profile.RedeemedSeconds.ToString("#,0", CultureInfo.InvariantCulture), Markup.Escape(status));
        }

        return table;
    }

    /// <summary>
    /// Cash and seconds, each holding also valued at its celebrity's last trade (<paramref name="lastPrices"/>): what
    /// the seconds fetched most recently, not what selling them would bring after the fee and the book's depth.
    /// </summary>
    public static Table WalletTable(WalletSnapshot wallet, IReadOnlyDictionary<string, long?> lastPrices)
    {
        var suspended = wallet.SuspendedReason is { } reason ? $" (SUSPENDED: {reason})" : "";
        var table = new Table().Title(Markup.Escape($"wallet {wallet.AccountId}{suspended}"))
            .AddColumns("holding", "available", "reserved", "held for bookings", "at last price (CNY)", "paid (CNY)", "gain (CNY)");
        table.AddRow("cash (CNY)", Yuan(wallet.CashAvailableFen), Yuan(wallet.CashReservedFen), "", "", "", "");
        if (wallet.CashHeldForWithdrawalsFen > 0)
        {
            table.AddRow("cash held for withdrawals", Yuan(wallet.CashHeldForWithdrawalsFen), "", "", "", "", "");
        }

        foreach (var holding in wallet.Holdings)
        {
            long? value = lastPrices.GetValueOrDefault(holding.CelebrityId) is { } price ? checked(holding.Total * price) : null;
            var gain = value is { } worth && holding.CostFen is { } paid ? worth - paid : (long?)null;
            table.AddRow(Markup.Escape(holding.CelebrityId) + " (s)", holding.Available.ToString(CultureInfo.InvariantCulture),
                holding.Reserved.ToString(CultureInfo.InvariantCulture), holding.HeldForBookings.ToString(CultureInfo.InvariantCulture),
                Yuan(value), Yuan(holding.CostFen), SignedYuan(gain));
        }

        return table.Caption($"gain on seconds sold so far, after fees: {SignedYuan(wallet.RealisedGainFen)} CNY");
    }
}
