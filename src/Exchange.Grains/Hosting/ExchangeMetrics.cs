using System.Diagnostics.Metrics;

namespace Exchange.Grains.Hosting;

/// <summary>The exchange's own instruments (meter "Exchange"), exported beside Orleans' meters.</summary>
public sealed class ExchangeMetrics : IDisposable
{
    public const string MeterName = "Exchange";

    private readonly Meter _meter = new(MeterName);

    public ExchangeMetrics(SettlementBacklog backlog, WithdrawalsWaiting withdrawals, ExchangeClock clock)
    {
        Withdrawals = withdrawals;
        OrdersAccepted = _meter.CreateCounter<long>("exchange.orders.accepted", description: "Orders accepted by order books");
        OrdersRejected = _meter.CreateCounter<long>("exchange.orders.rejected", description: "Orders refused by order books (band, halt, unknown)");
        OrdersExpired = _meter.CreateCounter<long>("exchange.orders.expired", description: "Orders for the day that order books cancelled when their trading day ended");
        StopsTriggered = _meter.CreateCounter<long>("exchange.orders.stops_triggered", description: "Stop orders that a trade reached: placed on their book, or cancelled if their limit had left the day's band");
        Trades = _meter.CreateCounter<long>("exchange.trades", description: "Trades executed");
        Halts = _meter.CreateCounter<long>("exchange.halts", description: "Trading halts (volatility or operator)");
        Auctions = _meter.CreateCounter<long>("exchange.auctions", description: "Reopening auctions run when a halt ended with crossing orders collected during it");
        ChatsEnded = _meter.CreateCounter<long>("exchange.chats.ended", description: "Text chats ended, by how (ended_by: fan, celebrity, time, idle, unanswered): a rise of unanswered means fans wait in vain");
        ChatSecondsUsed = _meter.CreateCounter<long>("exchange.chats.seconds_used", unit: "s", description: "Seconds text chats used (burned) when they ended");
        SettlementBatches = _meter.CreateCounter<long>("exchange.settlement.batches", description: "Outbox batches settled by order books");
        WalletDeliveries = _meter.CreateCounter<long>("exchange.settlement.wallet_deliveries", description: "Calls delivering settled book events to wallets");
        AuditRuns = _meter.CreateCounter<long>("exchange.audit.runs", description: "Scheduled audits run, by outcome (passed=true or false): alert on any false");
        SettlementLag = _meter.CreateHistogram<double>("exchange.settlement.lag", unit: "ms", description: "Time from a trade to its settlement in both wallets");
        _meter.CreateObservableGauge("exchange.settlement.pending_events", () => backlog.PendingEvents,
            description: "Book events waiting for settlement in the order books active on this silo");
        _meter.CreateObservableGauge("exchange.settlement.stall", () => backlog.LongestStall(clock.UtcNow).TotalSeconds, unit: "s",
            description: "Longest time a book on this silo has had events waiting without settling any");
        _meter.CreateObservableGauge("exchange.withdrawals.pending", () => withdrawals.Count,
            description: "Withdrawals (fans' and payout accounts') waiting for an operator to pay or reject them, as this silo last read the desk");
        _meter.CreateObservableGauge("exchange.withdrawals.oldest_wait", () => withdrawals.OldestWait(clock.UtcNow).TotalSeconds, unit: "s",
            description: "How long the oldest withdrawal on the desk has waited for an operator");
    }

    /// <summary>What the withdrawal gauges read (<see cref="WithdrawalDeskWatch"/> keeps it current).</summary>
    public WithdrawalsWaiting Withdrawals { get; }

    public Counter<long> OrdersAccepted { get; }

    public Counter<long> OrdersRejected { get; }

    public Counter<long> OrdersExpired { get; }

    public Counter<long> StopsTriggered { get; }

    public Counter<long> Trades { get; }

    public Counter<long> Halts { get; }

    public Counter<long> Auctions { get; }

    public Counter<long> ChatsEnded { get; }

    public Counter<long> ChatSecondsUsed { get; }

    public Counter<long> SettlementBatches { get; }

    public Counter<long> WalletDeliveries { get; }

    public Histogram<double> SettlementLag { get; }

    public Counter<long> AuditRuns { get; }

    public void Dispose() => _meter.Dispose();
}
