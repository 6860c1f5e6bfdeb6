using System.Diagnostics.Metrics;
using Exchange.Grains.Hosting;
using Exchange.Silo.Api.Feed;

namespace Exchange.Silo.Api;

/// <summary>The HTTP side's instruments, in the exchange's meter so operators find them beside the grains' own.</summary>
public sealed class ApiMetrics : IDisposable
{
    private readonly Meter _meter = new(ExchangeMetrics.MeterName);

    public ApiMetrics(FeedQuota feeds)
    {
        PaymentsCredited = _meter.CreateCounter<long>("exchange.payments.credited", description: "Payments the provider reported that credited a wallet");
        PaymentFenCredited = _meter.CreateCounter<long>("exchange.payments.credited_fen", description: "Cash those payments credited, in fen");
        PaymentsRefused = _meter.CreateCounter<long>("exchange.payments.refused",
            description: "Payment notifications refused, by reason (signature: forged or replayed; invalid; conflict; unknown_account)");
        _meter.CreateObservableGauge("exchange.account_feeds.open", () => feeds.OpenFeeds, description: "Private live feeds (accounts' own, celebrities' slots, chats) open on this silo");
    }

    public Counter<long> PaymentsCredited { get; }

    public Counter<long> PaymentFenCredited { get; }

    public Counter<long> PaymentsRefused { get; }

    public void Dispose() => _meter.Dispose();
}
