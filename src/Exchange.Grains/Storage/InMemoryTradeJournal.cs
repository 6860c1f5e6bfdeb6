using System.Collections.Concurrent;
using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.Storage;

/// <summary>For the no-PostgreSQL fallback only: the journal lives as long as the process.</summary>
public sealed class InMemoryTradeJournal : ITradeJournal
{
    private readonly ConcurrentDictionary<string, TradeRecord> _trades = new();

    public Task AppendAsync(IReadOnlyList<TradeRecord> trades, CancellationToken cancellationToken = default)
    {
        Append(trades);
        return Task.CompletedTask;
    }

    public void Append(IEnumerable<TradeRecord> trades)
    {
        foreach (var trade in trades)
        {
            _trades.TryAdd(trade.TradeId, trade);
        }
    }

    public Task<JournalWindow> ReadWindowAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken = default)
    {
        var trades = _trades.Values.ToList();
        var totals = new JournalTotals(trades.Count, trades.Sum(t => t.CommissionFen), trades.Sum(t => t.NotionalFen));
        return Task.FromResult(new JournalWindow(totals,
            trades.Where(t => after.TryGetValue(t.CelebrityId, out var sequence) && t.Sequence > sequence).ToList()));
    }

    public Task<IReadOnlyList<TradeRecord>?> ForAccountAsync(string accountId, int count, string? beforeTradeId = null, CancellationToken cancellationToken = default)
    {
        var newestFirst = _trades.Values.Where(t => t.BuyerId == accountId || t.SellerId == accountId)
            .OrderByDescending(t => t.ExecutedAt).ThenByDescending(t => t.TradeId, StringComparer.Ordinal).ToList();
        var start = 0;
        if (beforeTradeId is not null)
        {
            start = newestFirst.FindIndex(t => t.TradeId == beforeTradeId) + 1;
            if (start == 0)
            {
                return Task.FromResult<IReadOnlyList<TradeRecord>?>(null);
            }
        }

        return Task.FromResult<IReadOnlyList<TradeRecord>?>(newestFirst.Skip(start).Take(count).ToList());
    }

    public Task<IReadOnlyList<TradeRecord>> RecentAsync(string celebrityId, int count, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TradeRecord>>(_trades.Values.Where(t => t.CelebrityId == celebrityId).OrderByDescending(t => t.Sequence).Take(count).ToList());
}
