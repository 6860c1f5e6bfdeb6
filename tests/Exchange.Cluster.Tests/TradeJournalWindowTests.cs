using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Storage;

namespace Exchange.Cluster.Tests;

/// <summary>What the audit reads of the journal: its totals and each book's trades after a given event, from PostgreSQL or memory alike.</summary>
public class TradeJournalWindowTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_window_holds_each_named_book_s_trades_after_its_sequence_and_the_totals_hold_every_trade(bool withoutDatabase)
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        ITradeJournal journal = withoutDatabase ? new InMemoryTradeJournal() : exchange.SiloService<ITradeJournal>();
        await journal.AppendAsync([.. Trades("window-a", 5), .. Trades("window-b", 3), .. Trades("window-c", 2)]);

        var window = await journal.ReadWindowAsync(new Dictionary<string, long> { ["window-a"] = 2, ["window-b"] = 0, ["window-none"] = 0 });

        Assert.Equal(["window-a:3", "window-a:4", "window-a:5", "window-b:1", "window-b:2", "window-b:3"],
            window.Trades.Select(trade => trade.TradeId).Order(StringComparer.Ordinal));
        Assert.Equal(new JournalTotals(10, 10 * 3, 10 * 100), window.Totals);
        Assert.Equal(Trades("window-a", 5)[3], window.Trades.Single(trade => trade.TradeId == "window-a:4"));
    }

    private static TradeRecord[] Trades(string celebrityId, int count) => Enumerable.Range(1, count)
        .Select(sequence => new TradeRecord($"{celebrityId}:{sequence}", celebrityId, sequence, "window-buyer", "window-seller",
            $"window-buyer:{sequence}", $"window-seller:{sequence}", 10, 10, 100, 3, new DateTimeOffset(2026, 11, 27, 6, 0, sequence, TimeSpan.Zero)))
        .ToArray();
}
