using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.Storage;

/// <summary>
/// Everything the audit read, in the order it matters: celebrities' totals and books' positions before anything was
/// settled, every wallet, the commission account, the journal, then the books and celebrities again once everything
/// was settled.
/// </summary>
/// <param name="Celebrities">Every celebrity listed by the end of the reading.</param>
/// <param name="Journal">Its totals, and the trades of each book after the last event the book had settled before the reading.</param>
/// <param name="TotalsBefore">Of the celebrities listed when the reading began.</param>
public sealed record AuditReading(
    IReadOnlyList<string> Celebrities,
    IReadOnlyList<WalletAuditReading> Wallets,
    CommissionAuditReading Commission,
    JournalWindow Journal,
    IReadOnlyDictionary<string, BookReading> Books,
    IReadOnlyDictionary<string, CelebrityAuditTotals> TotalsBefore,
    IReadOnlyDictionary<string, CelebrityAuditTotals> TotalsAfter);

/// <summary>Where one book's settlement stood before the reading and after it: every event up to Settled was delivered everywhere; Last is the newest made.</summary>
public sealed record BookReading(long SettledBefore, long LastBefore, long SettledAfter, long LastAfter)
{
    /// <summary>A book numbers its events without gaps and settles them oldest first, so the unsettled ones are the newest.</summary>
    public static long SettledThrough(SettlementStatus status) => status.LastSequence - status.Unsettled;

    /// <summary>Events made before the reading were still unsettled after it.</summary>
    public bool IsBehind => SettledAfter < LastBefore;
}
