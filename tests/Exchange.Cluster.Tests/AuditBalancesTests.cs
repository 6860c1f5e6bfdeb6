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
    private static readonly CommissionTotals NoFees = new(0, 0, new Dictionary<string, long>(), new Dictionary<DateOnly, long>());

    private static WalletAuditReading Wallet(string accountId, long cashFen, long depositedFen, long seconds = 0, long paidFen = 0, long receivedFen = 0,
        long issuedSeconds = 0, long redeemedSeconds = 0) =>
        new(new WalletSnapshot(accountId, cashFen, 0, seconds == 0 ? [] : [new HoldingView(Star, seconds, 0, 0)], depositedFen, 0, [], 0),
            paidFen, receivedFen,
            issuedSeconds == 0 ? new Dictionary<string, long>() : new() { [Star] = issuedSeconds },
            redeemedSeconds == 0 ? new Dictionary<string, long>() : new() { [Star] = redeemedSeconds });

    private static AuditReport Check(CelebrityAuditTotals before, CelebrityAuditTotals after, params WalletAuditReading[] wallets) =>
        AuditBalances.Check(new AuditReading([Star], wallets, NoFees, new JournalTotals(0, 0, 0),
            new Dictionary<string, CelebrityAuditTotals> { [Star] = before }, new Dictionary<string, CelebrityAuditTotals> { [Star] = after }), []);

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
