using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;

namespace Exchange.Grains.Storage;

/// <summary>
/// Checks DESIGN.md's invariants over every account: cash is conserved to the fen, seconds per celebrity equal
/// issued minus redeemed, nothing is negative, every reservation is backed by an open order, and the journal's fees
/// equal the commission account. It first finishes pending issuances and settlements, then reads every wallet while
/// the exchange goes on trading: see <see cref="AuditReading"/> for what it reads in which order, and
/// <see cref="AuditBalances"/> for how a reading that caught moves half done still balances.
/// </summary>
public sealed class ExchangeAuditor(IGrainFactory grains, IExchangeDirectory directory, ITradeJournal journal)
{
    /// <summary>
    /// Wallets read at once. The directory lists every account ever opened, and reading them all together activated
    /// them all together and held every snapshot in memory until the last arrived.
    /// </summary>
    public const int WalletsReadTogether = 64;

    /// <summary>Readings of an audit that finds a book's settlement behind: a failed delivery retries on its own a moment later.</summary>
    private const int Attempts = 3;

    private static readonly TimeSpan SettlementCatchUp = TimeSpan.FromSeconds(2);

    public async Task<AuditReport> RunAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var (report, settlementBehind) = await ReadAndCheckAsync();
            if (report.Passed || !settlementBehind || attempt == Attempts)
            {
                return report;
            }

            await Task.Delay(SettlementCatchUp);
        }
    }

    private async Task<(AuditReport Report, bool SettlementBehind)> ReadAndCheckAsync()
    {
        // Celebrities' totals are read before anything is settled and again after: a move counted by a wallet during
        // the reading lies between the two.
        var listedBefore = await directory.ListCelebritiesAsync();
        var totalsBefore = await ReadTotalsAsync(listedBefore);
        var before = await SettleEverythingAsync(listedBefore);
        var wallets = await ReadWalletsAsync();
        var commission = await grains.ByKey<ICommissionGrain>(ICommissionGrain.Key).GetAuditReading();

        // Listed during the reading: its seconds may be in the wallets just read. The journal after the wallets and
        // the commission account, so it holds every trade they had applied.
        var celebrities = await directory.ListCelebritiesAsync();
        BookSettled Before(string id) => before.GetValueOrDefault(id, BookSettled.None);
        var trades = await journal.ReadWindowAsync(celebrities.ToDictionary(id => id, id => Before(id).Settled));
        var after = await SettleEverythingAsync(celebrities);
        var totalsAfter = await ReadTotalsAsync(celebrities);

        var books = celebrities.ToDictionary(id => id, id => new BookReading(Before(id).Settled, Before(id).Last, after[id].Settled, after[id].Last));
        var violations = before.Values.Select(book => book.Violation).OfType<string>().ToList();
        var report = AuditBalances.Check(new AuditReading(celebrities, wallets, commission, trades, books, totalsBefore, totalsAfter), violations);
        return (report, books.Values.Any(book => book.IsBehind));
    }

    private sealed record BookSettled(long Settled, long Last, string? Violation)
    {
        /// <summary>A celebrity listed during the reading: nothing of its book was settled before it.</summary>
        public static readonly BookSettled None = new(0, 0, null);
    }

    private async Task<Dictionary<string, BookSettled>> SettleEverythingAsync(IReadOnlyList<string> celebrities)
    {
        var books = new Dictionary<string, BookSettled>();
        foreach (var celebrityId in celebrities)
        {
            var pendingIssuances = await grains.ByKey<ICelebrityGrain>(celebrityId).CompletePendingIssuances();
            await grains.ByKey<ISchedulerGrain>(celebrityId).CompletePending();
            var settlement = await grains.ByKey<IOrderBookGrain>(celebrityId).FlushSettlements();
            books[celebrityId] = new BookSettled(BookReading.SettledThrough(settlement), settlement.LastSequence,
                pendingIssuances > 0 ? $"{celebrityId}: {pendingIssuances} issuance(s) could not be completed" : null);
        }

        return books;
    }

    private async Task<Dictionary<string, CelebrityAuditTotals>> ReadTotalsAsync(IReadOnlyList<string> celebrities)
    {
        var totals = new Dictionary<string, CelebrityAuditTotals>();
        foreach (var celebrityId in celebrities)
        {
            totals[celebrityId] = await grains.ByKey<ICelebrityGrain>(celebrityId).GetAuditTotals();
        }

        return totals;
    }

    private async Task<List<WalletAuditReading>> ReadWalletsAsync()
    {
        var readings = new List<WalletAuditReading>();
        foreach (var round in (await directory.ListAccountsAsync()).Chunk(WalletsReadTogether))
        {
            readings.AddRange(await Task.WhenAll(round.Select(id => grains.ByKey<IWalletGrain>(id).GetAuditReading())));
        }

        return readings;
    }
}
