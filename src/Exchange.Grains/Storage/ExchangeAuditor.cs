using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;

namespace Exchange.Grains.Storage;

/// <summary>
/// Checks DESIGN.md's invariants over every account: cash is conserved to the fen, seconds per celebrity equal
/// issued minus redeemed, nothing is negative, every reservation is backed by an open order, and the journal's fees
/// equal the commission account. It first finishes pending issuances and settlements; if a trade settled while
/// balances were read (half-way through the reading), it reads again rather than report a false gap.
/// Issuances and redemptions need no such luck: they move cash or seconds in one grain and are counted by another in a
/// second call, and every grain keeps running totals of its side (<see cref="WalletAuditReading"/>,
/// <see cref="CelebrityAuditTotals"/>), so the audit balances the books from what each wallet says and only bounds the
/// celebrities' counts by what they said before and after the reading.
/// </summary>
public sealed class ExchangeAuditor(IGrainFactory grains, IExchangeDirectory directory, ITradeJournal journal)
{
    private const int Attempts = 5;

    /// <summary>
    /// Wallets read at once. The directory lists every account ever opened, and reading them all together activated
    /// them all together and held every snapshot in memory until the last arrived.
    /// </summary>
    public const int WalletsReadTogether = 64;

    public async Task<AuditReport> RunAsync()
    {
        AuditReport report = null!;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            // Celebrities' totals are read before anything is settled and again after: a move counted by a wallet
            // during the reading lies between the two.
            var listedBefore = await directory.ListCelebritiesAsync();
            var totalsBefore = await ReadTotalsAsync(listedBefore);
            var before = await SettleEverythingAsync(listedBefore);
            var wallets = await ReadWalletsAsync();
            var commission = await grains.ByKey<ICommissionGrain>(ICommissionGrain.Key).GetTotals();
            var journalTotals = await journal.GetTotalsAsync();

            // Listed during the reading: its seconds may be in the wallets just read.
            var celebrities = await directory.ListCelebritiesAsync();
            var after = await SettleEverythingAsync(celebrities);
            var totalsAfter = await ReadTotalsAsync(celebrities);

            report = AuditBalances.Check(new AuditReading(celebrities, wallets, commission, journalTotals, totalsBefore, totalsAfter), before.Violations);
            var quiet = celebrities.All(id => before.Positions.GetValueOrDefault(id) == after.Positions[id]) && after.Violations.Count == 0;
            if (report.Passed || quiet)
            {
                return report;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
        }

        return report;
    }

    private sealed record Settled(List<string> Violations, Dictionary<string, long> Positions);

    private async Task<Settled> SettleEverythingAsync(IReadOnlyList<string> celebrities)
    {
        var violations = new List<string>();
        var positions = new Dictionary<string, long>();
        foreach (var celebrityId in celebrities)
        {
            var pendingIssuances = await grains.ByKey<ICelebrityGrain>(celebrityId).CompletePendingIssuances();
            if (pendingIssuances > 0)
            {
                violations.Add($"{celebrityId}: {pendingIssuances} issuance(s) could not be completed");
            }

            await grains.ByKey<ISchedulerGrain>(celebrityId).CompletePending();

            var settlement = await grains.ByKey<IOrderBookGrain>(celebrityId).FlushSettlements();
            if (settlement.Unsettled > 0)
            {
                violations.Add($"{celebrityId}: {settlement.Unsettled} book event(s) still unsettled");
            }

            positions[celebrityId] = settlement.LastSequence;
        }

        return new Settled(violations, positions);
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
