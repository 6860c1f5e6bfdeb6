using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.Storage;

/// <summary>The permanent record of trades. Appending a trade id that is already there changes nothing.</summary>
public interface ITradeJournal
{
    Task AppendAsync(IReadOnlyList<TradeRecord> trades, CancellationToken cancellationToken = default);

    /// <summary>
    /// For the audit, from one snapshot of the journal: its totals, and every trade of each celebrity in
    /// <paramref name="after"/> with a sequence above the one given (trades of other celebrities are not read).
    /// </summary>
    Task<JournalWindow> ReadWindowAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TradeRecord>> RecentAsync(string celebrityId, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest trades in which the account bought or sold, newest first (ties by trade id), starting after
    /// <paramref name="beforeTradeId"/> if given: one of the account's trades, the last of the previous page. Null if it is not.
    /// </summary>
    Task<IReadOnlyList<TradeRecord>?> ForAccountAsync(string accountId, int count, string? beforeTradeId = null, CancellationToken cancellationToken = default);
}

public readonly record struct JournalTotals(long TradeCount, long CommissionFen, long NotionalFen);

public sealed record JournalWindow(JournalTotals Totals, IReadOnlyList<TradeRecord> Trades);
