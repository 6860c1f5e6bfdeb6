using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Orders;

namespace Exchange.Grains.Storage;

/// <summary>
/// Checks DESIGN.md's invariants over every account: cash is conserved to the fen, seconds per celebrity equal
/// issued minus redeemed, nothing is negative, every reservation is backed by an open order, and the journal's fees
/// equal the commission account. It first finishes pending issuances and settlements; if the exchange moved while
/// balances were read (a trade settling half-way through the reading), it reads again rather than report a false gap.
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
            var celebrities = await directory.ListCelebritiesAsync();
            var before = await SettleEverythingAsync(celebrities);
            report = await CheckAsync(celebrities, before.Violations);
            var after = await SettleEverythingAsync(celebrities);
            var quiet = before.Positions.SequenceEqual(after.Positions) && after.Violations.Count == 0;
            if (report.Passed || quiet)
            {
                return report;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
        }

        return report;
    }

    private sealed record Settled(List<string> Violations, List<long> Positions);

    private async Task<Settled> SettleEverythingAsync(IReadOnlyList<string> celebrities)
    {
        var violations = new List<string>();
        var positions = new List<long>();
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

            positions.Add(settlement.LastSequence);
        }

        return new Settled(violations, positions);
    }

    private async Task<AuditReport> CheckAsync(IReadOnlyList<string> celebrities, List<string> violations)
    {
        var accounts = await directory.ListAccountsAsync();
        long totalCash = 0, netDeposits = 0;
        var secondsHeld = new Dictionary<string, long>();
        foreach (var round in accounts.Chunk(WalletsReadTogether))
        {
            foreach (var wallet in await Task.WhenAll(round.Select(id => grains.ByKey<IWalletGrain>(id).GetSnapshot())))
            {
                totalCash = checked(totalCash + wallet.CashAvailableFen + wallet.CashReservedFen + wallet.CashHeldForWithdrawalsFen);
                netDeposits = checked(netDeposits + wallet.TotalDepositedFen - wallet.TotalWithdrawnFen);
                CheckWallet(wallet, violations);
                foreach (var holding in wallet.Holdings)
                {
                    secondsHeld[holding.CelebrityId] = secondsHeld.GetValueOrDefault(holding.CelebrityId) + holding.Total;
                }
            }
        }

        var commission = await grains.ByKey<ICommissionGrain>(ICommissionGrain.Key).GetTotals();
        var journalTotals = await journal.GetTotalsAsync();

        totalCash = checked(totalCash + commission.TotalFen);
        if (totalCash != netDeposits)
        {
            violations.Add($"cash: accounts + commission hold {totalCash} fen but deposits - withdrawals = {netDeposits} fen");
        }

        if (journalTotals.CommissionFen != commission.TotalFen || journalTotals.TradeCount != commission.TradeCount)
        {
            violations.Add($"commission: journal has {journalTotals.TradeCount} trades / {journalTotals.CommissionFen} fen of fees, commission account {commission.TradeCount} / {commission.TotalFen} fen");
        }

        var outstanding = new Dictionary<string, long>();
        foreach (var celebrityId in celebrities)
        {
            var profile = await grains.ByKey<ICelebrityGrain>(celebrityId).GetProfile();
            var expected = profile is null ? 0 : profile.IssuedSeconds - profile.RedeemedSeconds;
            var held = secondsHeld.GetValueOrDefault(celebrityId);
            outstanding[celebrityId] = expected;
            if (held != expected)
            {
                violations.Add($"{celebrityId}: {held} seconds held but issued - redeemed = {expected}");
            }
        }

        foreach (var celebrityId in secondsHeld.Keys.Except(celebrities))
        {
            violations.Add($"{celebrityId}: {secondsHeld[celebrityId]} seconds held of a celebrity that was never listed");
        }

        return new AuditReport(violations.Count == 0, violations, totalCash, netDeposits, commission.TotalFen, journalTotals.CommissionFen,
            journalTotals.TradeCount, accounts.Count, celebrities.Count, outstanding);
    }

    private static void CheckWallet(WalletSnapshot wallet, List<string> violations)
    {
        if (wallet.CashAvailableFen < 0 || wallet.CashReservedFen < 0 || wallet.CashHeldForWithdrawalsFen < 0)
        {
            violations.Add($"{wallet.AccountId}: negative cash ({wallet.CashAvailableFen} available, {wallet.CashReservedFen} reserved, {wallet.CashHeldForWithdrawalsFen} held for withdrawals)");
        }

        if (wallet.CashReservedFen != wallet.ReservedCashByOpenOrdersFen)
        {
            violations.Add($"{wallet.AccountId}: {wallet.CashReservedFen} fen reserved but open buy orders account for {wallet.ReservedCashByOpenOrdersFen}");
        }

        foreach (var holding in wallet.Holdings)
        {
            if (holding.Available < 0 || holding.Reserved < 0 || holding.HeldForBookings < 0)
            {
                violations.Add($"{wallet.AccountId}: negative seconds of {holding.CelebrityId}");
            }

            var openSells = wallet.OpenOrders
                .Where(order => order.CelebrityId == holding.CelebrityId && order.Side == Side.Sell)
                .Sum(order => order.Quantity - order.FilledQuantity - order.CancelledQuantity);
            if (holding.Reserved != openSells)
            {
                violations.Add($"{wallet.AccountId}: {holding.Reserved} seconds of {holding.CelebrityId} reserved but open sell orders account for {openSells}");
            }
        }
    }
}
