using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;

namespace Exchange.Grains.Storage;

/// <summary>
/// DESIGN.md's invariants checked over one <see cref="AuditReading"/>. Wallets are read one after another while the
/// exchange runs, so a move between grains can be half done in the reading. A trade's sides say which book events they
/// applied (<see cref="TradesInFlight"/>). An issuance or a redemption is counted by running totals that each side
/// keeps in the same turn as its balances, and the celebrities' counts are bounded by their readings before and after.
/// </summary>
public static class AuditBalances
{
    /// <summary>The report on one reading; <paramref name="violations"/> holds what was found before it, and gets what it finds.</summary>
    public static AuditReport Check(AuditReading reading, List<string> violations)
    {
        foreach (var wallet in reading.Wallets)
        {
            CheckWallet(wallet.Balances, violations);
        }

        var inFlight = new TradesInFlight(reading);
        CheckSettlement(reading, inFlight, violations);
        var (totalCash, netDeposits) = CheckCash(reading, inFlight, violations);
        var outstanding = CheckSeconds(reading, inFlight, violations);

        // The journal as far as the commission account had credited each book when it was read.
        var commission = reading.Commission.Totals;
        var journalFees = reading.Journal.Totals.CommissionFen - inFlight.UncreditedFeesFen;
        var journalTrades = reading.Journal.Totals.TradeCount - inFlight.UncreditedTrades;
        if (journalFees != commission.TotalFen || journalTrades != commission.TradeCount)
        {
            violations.Add($"commission: journal has {journalTrades} trades / {journalFees} fen of fees, commission account {commission.TradeCount} / {commission.TotalFen} fen");
        }

        return new AuditReport(violations.Count == 0, violations, totalCash, netDeposits, commission.TotalFen, journalFees,
            journalTrades, reading.Wallets.Count, reading.Celebrities.Count, outstanding);
    }

    /// <summary>Every event a book had made before the reading was settled by its end, and the journal holds no trade a book did not make.</summary>
    private static void CheckSettlement(AuditReading reading, TradesInFlight inFlight, List<string> violations)
    {
        foreach (var (celebrityId, book) in reading.Books.Where(pair => pair.Value.IsBehind))
        {
            violations.Add($"{celebrityId}: {book.LastBefore - book.SettledAfter} book event(s) made before the audit still unsettled after it");
        }

        foreach (var trade in inFlight.NotMadeByTheirBook)
        {
            violations.Add($"commission: the journal has trade {trade.TradeId}, which its book had not made");
        }
    }

    /// <summary>Cash held, fees included, equals net deposits; returns both.</summary>
    private static (long TotalCash, long NetDeposits) CheckCash(AuditReading reading, TradesInFlight inFlight, List<string> violations)
    {
        long held = 0, netDeposits = 0, issuancesPaid = 0, issuancesReceived = 0;
        foreach (var wallet in reading.Wallets)
        {
            var balances = wallet.Balances;
            held = checked(held + balances.CashAvailableFen + balances.CashReservedFen + balances.CashHeldForWithdrawalsFen);
            netDeposits = checked(netDeposits + balances.TotalDepositedFen - balances.TotalWithdrawnFen);
            issuancesPaid = checked(issuancesPaid + wallet.IssuancesPaidFen);
            issuancesReceived = checked(issuancesReceived + wallet.IssuancesReceivedFen);
        }

        // Paid by the treasury, not yet received by a payout account: the cash exists, between two wallets.
        var onItsWayToPayouts = issuancesPaid - issuancesReceived;
        var totalCash = checked(held + reading.Commission.Totals.TotalFen + onItsWayToPayouts + inFlight.CashCorrectionFen);
        if (totalCash != netDeposits)
        {
            violations.Add($"cash: accounts + commission hold {totalCash} fen (counting {onItsWayToPayouts} fen paid for issued time and on its way to payout accounts, " +
                           $"and {inFlight.CashCorrectionFen} fen for trades settling) but deposits - withdrawals = {netDeposits} fen");
        }

        var costBefore = reading.TotalsBefore.Values.Sum(totals => totals.IssuanceCostCountedFen);
        var costAfter = reading.TotalsAfter.Values.Sum(totals => totals.IssuanceCostCountedFen);
        CheckCounted("issuances", "the treasury paid", issuancesPaid, costBefore, costAfter, "fen", violations);
        CheckCounted("issuances", "payout accounts received", issuancesReceived, costBefore, costAfter, "fen", violations);
        return (totalCash, netDeposits);
    }

    /// <summary>Seconds held of each celebrity equal issued minus redeemed; returns what is held of each.</summary>
    private static Dictionary<string, long> CheckSeconds(AuditReading reading, TradesInFlight inFlight, List<string> violations)
    {
        var held = Sum(reading.Wallets.SelectMany(wallet => wallet.Balances.Holdings.Select(holding => KeyValuePair.Create(holding.CelebrityId, holding.Total)))
            .Concat(inFlight.SecondsCorrection));
        var issued = Sum(reading.Wallets.SelectMany(wallet => wallet.SecondsIssued));
        var redeemed = Sum(reading.Wallets.SelectMany(wallet => wallet.SecondsRedeemed));
        foreach (var celebrityId in reading.Celebrities)
        {
            var before = reading.TotalsBefore.GetValueOrDefault(celebrityId, CelebrityAuditTotals.None);
            var after = reading.TotalsAfter[celebrityId];
            var (heldOf, issuedOf, redeemedOf) = (held.GetValueOrDefault(celebrityId), issued.GetValueOrDefault(celebrityId), redeemed.GetValueOrDefault(celebrityId));
            var expected = checked(after.SecondsOutstandingBeforeCounting + issuedOf - redeemedOf);
            if (heldOf != expected)
            {
                violations.Add($"{celebrityId}: {heldOf} seconds held but issued - redeemed = {expected}");
            }

            CheckCounted(celebrityId, "the treasury received by issuance", issuedOf, before.IssuedSecondsCounted, after.IssuedSecondsCounted, "seconds", violations);
            CheckCounted(celebrityId, "wallets redeemed", redeemedOf, before.RedeemedSecondsCounted, after.RedeemedSecondsCounted, "seconds", violations);
        }

        foreach (var celebrityId in held.Keys.Concat(issued.Keys).Concat(redeemed.Keys).Distinct().Except(reading.Celebrities))
        {
            violations.Add($"{celebrityId}: {held.GetValueOrDefault(celebrityId)} seconds held of a celebrity that was never listed");
        }

        return reading.Celebrities.ToDictionary(celebrityId => celebrityId, celebrityId => held.GetValueOrDefault(celebrityId));
    }

    private static Dictionary<string, long> Sum(IEnumerable<KeyValuePair<string, long>> amounts)
    {
        var totals = new Dictionary<string, long>();
        foreach (var (celebrityId, amount) in amounts)
        {
            totals[celebrityId] = checked(totals.GetValueOrDefault(celebrityId) + amount);
        }

        return totals;
    }

    /// <summary>
    /// A move wallets count in one call and celebrities in another (after it, or for a booking's burn before it, which
    /// the settling ahead of the reading finishes): wallets counted at least what the celebrities had before the
    /// reading, and at most what they had after it.
    /// </summary>
    private static void CheckCounted(string what, string counter, long counted, long countedBefore, long countedAfter, string unit, List<string> violations)
    {
        if (counted < countedBefore || counted > countedAfter)
        {
            var celebrityCounted = countedBefore == countedAfter ? $"{countedAfter}" : $"between {countedBefore} and {countedAfter}";
            violations.Add($"{what}: {counter} {counted} {unit} while the celebrity side counted {celebrityCounted}");
        }
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
