using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.Storage;

/// <summary>
/// Everything the audit read, in the order it matters: celebrities' totals before anything was settled, every wallet,
/// the commission account and the journal, then the celebrities' totals again once everything was settled.
/// </summary>
/// <param name="Celebrities">Every celebrity listed by the end of the reading.</param>
/// <param name="TotalsBefore">Of the celebrities listed when the reading began.</param>
public sealed record AuditReading(
    IReadOnlyList<string> Celebrities,
    IReadOnlyList<WalletAuditReading> Wallets,
    CommissionTotals Commission,
    JournalTotals Journal,
    IReadOnlyDictionary<string, CelebrityAuditTotals> TotalsBefore,
    IReadOnlyDictionary<string, CelebrityAuditTotals> TotalsAfter);
