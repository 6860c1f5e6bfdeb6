using Exchange.Abstractions.Contracts;
using Exchange.Grains.Storage;

namespace Exchange.Cluster.Tests;

/// <summary>
/// The audit's arithmetic over readings a running exchange can produce: a move between two grains read half done, and
/// data from before wallets counted issuance and redemption. No cluster: the readings are written out here.
/// </summary>
public class AuditBalancesTests
{
    private const string Star = "star";

    private static WalletAuditReading Wallet(string accountId, long cashFen, long depositedFen, long seconds = 0, long paidFen = 0, long receivedFen = 0,
        long issuedSeconds = 0, long redeemedSeconds = 0, long appliedEvents = 0, long reservedFen = 0) =>
        new(new WalletSnapshot(accountId, cashFen, reservedFen, seconds == 0 ? [] : [new HoldingView(Star, seconds, 0, 0)],
                depositedFen, 0, [], reservedFen),
            paidFen, receivedFen, Per(issuedSeconds), Per(redeemedSeconds), Per(appliedEvents));

    private static Dictionary<string, long> Per(long amount) => amount == 0 ? new() : new() { [Star] = amount };

    private static AuditReport Check(CelebrityAuditTotals before, CelebrityAuditTotals after, params WalletAuditReading[] wallets) =>
        Check(before, after, wallets, []);

    private static AuditReport Check(CelebrityAuditTotals before, CelebrityAuditTotals after, WalletAuditReading[] wallets, TradeRecord[] trades,
        long creditedSequence = 0, BookReading? book = null)
    {
        var credited = trades.Where(trade => trade.Sequence <= creditedSequence).ToList();
        var commission = new CommissionAuditReading(
            new CommissionTotals(credited.Sum(trade => trade.CommissionFen), credited.Count, new Dictionary<string, long>(), new Dictionary<DateOnly, long>()),
            Per(creditedSequence));
        var journal = new JournalWindow(new JournalTotals(trades.Length, trades.Sum(trade => trade.CommissionFen), trades.Sum(trade => trade.NotionalFen)), trades);
        var last = trades.Length == 0 ? 0 : trades.Max(trade => trade.Sequence);
        return AuditBalances.Check(new AuditReading([Star], wallets, commission, journal,
            new Dictionary<string, BookReading> { [Star] = book ?? new BookReading(0, 0, last, last) },
            new Dictionary<string, CelebrityAuditTotals> { [Star] = before }, new Dictionary<string, CelebrityAuditTotals> { [Star] = after }), []);
    }

    /// <summary>The treasury sold 10 s at 10 fen to a fan (notional 100 fen, fee 3 fen), as book event 1.</summary>
    private static readonly TradeRecord Sale = new($"{Star}:1", Star, 1, "fan", "treasury", "fan:1", "treasury:1", 10, 10, 100, 3, DateTimeOffset.UnixEpoch);

    private static readonly CelebrityAuditTotals Issued = new(100, 0, 100, 0, 1_000);

    [Fact]
    public void A_trade_read_settled_on_one_side_only_balances_whichever_side_it_is()
    {
        var payout = Wallet("payout:agent", 1_000, 0, receivedFen: 1_000);
        var treasuryBefore = Wallet("treasury", 9_000, 10_000, seconds: 100, paidFen: 1_000, issuedSeconds: 100);
        var treasuryAfter = Wallet("treasury", 9_097, 10_000, seconds: 90, paidFen: 1_000, issuedSeconds: 100, appliedEvents: 1);
        var fanBefore = Wallet("fan", 0, 100, reservedFen: 100);
        var fanAfter = Wallet("fan", 0, 100, seconds: 10, appliedEvents: 1);

        foreach (var (treasury, fan, credited) in new[]
                 {
                     (treasuryBefore, fanAfter, 0L), (treasuryAfter, fanBefore, 1L), (treasuryAfter, fanBefore, 0L), (treasuryAfter, fanAfter, 1L),
                 })
        {
            var report = Check(Issued, Issued, [treasury, fan, payout], [Sale], creditedSequence: credited);
            Assert.True(report.Passed, string.Join("\n", report.Violations));
            Assert.Equal(10_100, report.TotalCashFen);
        }

        var short1 = Check(Issued, Issued, [treasuryAfter with { Balances = treasuryAfter.Balances with { CashAvailableFen = 9_096 } }, fanBefore, payout], [Sale], creditedSequence: 1);
        Assert.Contains(short1.Violations, violation => violation.StartsWith("cash: accounts + commission hold 10099 fen", StringComparison.Ordinal));
    }

    [Fact]
    public void A_book_event_made_before_the_audit_and_unsettled_after_it_and_a_trade_no_book_made_are_reported()
    {
        var wallets = new[] { Wallet("treasury", 9_000, 10_000, seconds: 100, paidFen: 1_000, issuedSeconds: 100), Wallet("fan", 0, 100, reservedFen: 100),
            Wallet("payout:agent", 1_000, 0, receivedFen: 1_000) };

        var stuck = Check(Issued, Issued, wallets, [Sale], book: new BookReading(0, 1, 0, 1));
        var madeUp = Check(Issued, Issued, wallets, [Sale], book: new BookReading(0, 0, 0, 0));

        Assert.Equal(["star: 1 book event(s) made before the audit still unsettled after it"], stuck.Violations);
        Assert.Equal(["commission: the journal has trade star:1, which its book had not made"], madeUp.Violations);
    }

    [Fact]
    public void An_issuance_read_after_the_treasury_paid_and_before_the_payout_account_received_balances()
    {
        // 100 s at 10 fen: the treasury has paid and holds the seconds; the payout account and the celebrity have not caught up.
        var completed = new CelebrityAuditTotals(100, 0, 100, 0, 1_000);
        var report = Check(CelebrityAuditTotals.None, completed,
            Wallet("treasury", 9_000, 10_000, seconds: 100, paidFen: 1_000, issuedSeconds: 100),
            Wallet("payout:agent", 0, 0));

        Assert.True(report.Passed, string.Join("\n", report.Violations));
        Assert.Equal(10_000, report.TotalCashFen);
        Assert.Equal(100, report.SecondsOutstanding[Star]);
    }

    [Fact]
    public void Cash_paid_for_an_issuance_the_celebrity_completed_before_the_reading_but_never_received_is_missing()
    {
        var completed = new CelebrityAuditTotals(100, 0, 100, 0, 1_000);
        var report = Check(completed, completed,
            Wallet("treasury", 9_000, 10_000, seconds: 100, paidFen: 1_000, issuedSeconds: 100),
            Wallet("payout:agent", 0, 0));

        Assert.False(report.Passed);
        Assert.Contains("issuances: payout accounts received 0 fen while the celebrity side counted 1000", report.Violations);
    }

    [Fact]
    public void A_chat_burned_by_the_wallet_before_the_celebrity_counts_it_balances_until_the_celebrity_has_counted_without_it()
    {
        var issued = new CelebrityAuditTotals(100, 0, 100, 0, 1_000);
        var chatCounted = issued with { RedeemedSeconds = 5, RedeemedSecondsCounted = 5 };
        WalletAuditReading[] wallets =
        [
            Wallet("treasury", 9_000, 10_000, seconds: 60, paidFen: 1_000, issuedSeconds: 100),
            Wallet("payout:agent", 1_000, 0, receivedFen: 1_000),
            Wallet("fan", 0, 0, seconds: 35, redeemedSeconds: 5),
        ];

        Assert.True(Check(issued, chatCounted, wallets).Passed);
        var neverCounted = Check(issued, issued, wallets);
        Assert.Contains("star: wallets redeemed 5 seconds while the celebrity side counted 0", neverCounted.Violations);
    }

    [Fact]
    public void Seconds_issued_before_wallets_counted_them_are_the_starting_balance_and_a_lost_one_is_still_found()
    {
        // 1,000 s issued and 200 redeemed before this build, then 50 issued since.
        var totals = new CelebrityAuditTotals(1_050, 200, 50, 0, 500);
        var treasury = Wallet("treasury", 9_500, 10_000, seconds: 850, paidFen: 500, issuedSeconds: 50);
        var payout = Wallet("payout:agent", 500, 0, receivedFen: 500);

        Assert.True(Check(totals, totals, treasury, payout).Passed);
        var lost = Check(totals, totals, treasury with { Balances = treasury.Balances with { Holdings = [new HoldingView(Star, 849, 0, 0)] } }, payout);
        Assert.Contains("star: 849 seconds held but issued - redeemed = 850", lost.Violations);
    }
}
