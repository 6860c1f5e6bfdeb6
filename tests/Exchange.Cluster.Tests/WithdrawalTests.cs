using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class WithdrawalTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    private IWithdrawalDeskGrain Desk => Exchange.Grains.GetGrain<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key);

    private async Task<IReadOnlyList<string>> ListedForAsync(string accountId) =>
        (await Desk.GetPending()).Where(w => w.AccountId == accountId).Select(w => w.RequestId).ToList();

    [Fact]
    public async Task A_withdrawal_holds_its_cash_until_an_operator_pays_it_out_or_rejects_it_and_the_audit_balances_throughout()
    {
        var fan = Exchange.Wallet("cash-out-fan");
        await Exchange.FundAsync("cash-out-fan", 10_000);

        var first = await fan.RequestWithdrawal("w-1", 3_000);
        var second = await fan.RequestWithdrawal("w-2", 2_000);
        var held = await fan.GetSnapshot();

        Assert.Equal(("pending", false), (first.Withdrawal!.Status, first.WasReplay));
        Assert.Equal((5_000L, 5_000L, 0L), (held.CashAvailableFen, held.CashHeldForWithdrawalsFen, held.TotalWithdrawnFen));
        Assert.Equal(["w-1", "w-2"], await ListedForAsync("cash-out-fan"));
        await Exchange.AssertAuditPassesAsync();

        // Held cash is not available to trade with, and survives the wallet going idle.
        await Exchange.ListAndIssueAsync("cash-out-star", 100, 100);
        Assert.Equal(ErrorCodes.InsufficientFunds, (await Exchange.LimitAsync("cash-out-fan", "cash-out-star", Side.Buy, 100, 60)).Error!.Code);
        await Exchange.DeactivateIdleGrainsAsync();
        Assert.Equal(5_000, (await fan.GetSnapshot()).CashHeldForWithdrawalsFen);

        var paid = await fan.DecideWithdrawal("w-1", paid: true, "bank ref 778");
        var rejected = await fan.DecideWithdrawal("w-2", paid: false, "account name does not match");
        var after = await fan.GetSnapshot();

        Assert.Equal(("paid", "bank ref 778"), (paid.Withdrawal!.Status, paid.Withdrawal.Note));
        Assert.Equal("rejected", rejected.Withdrawal!.Status);
        Assert.Equal((7_000L, 0L, 3_000L), (after.CashAvailableFen, after.CashHeldForWithdrawalsFen, after.TotalWithdrawnFen));
        Assert.Empty(await ListedForAsync("cash-out-fan"));
        Assert.Equal(["paid", "rejected"], (await fan.GetWithdrawals()).Select(w => w.Status).Order());
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Repeats_and_bad_requests_move_nothing()
    {
        var fan = Exchange.Wallet("cash-out-careful");
        await Exchange.FundAsync("cash-out-careful", 1_000);
        await fan.RequestWithdrawal("w-1", 400);

        var replay = await fan.RequestWithdrawal("w-1", 400);
        var reused = await fan.RequestWithdrawal("w-1", 500);
        var tooMuch = await fan.RequestWithdrawal("w-2", 601);
        var zero = await fan.RequestWithdrawal("w-3", 0);
        var noId = await fan.RequestWithdrawal(" ", 10);
        var platform = await Exchange.Wallet(AccountIds.Treasury).RequestWithdrawal("w-1", 1);
        var unknown = await fan.DecideWithdrawal("nope", paid: true, "ref");
        var paid = await fan.DecideWithdrawal("w-1", paid: true, "ref 1");
        var paidAgain = await fan.DecideWithdrawal("w-1", paid: true, "ref 1");
        var rejectedAfterPaying = await fan.DecideWithdrawal("w-1", paid: false, "too late");
        var wallet = await fan.GetSnapshot();

        Assert.True(replay.WasReplay);
        Assert.Equal(ErrorCodes.DuplicateRequest, reused.Error!.Code);
        Assert.Equal(ErrorCodes.InsufficientFunds, tooMuch.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidAmount, zero.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, noId.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, platform.Error!.Code);
        Assert.Equal(ErrorCodes.UnknownWithdrawal, unknown.Error!.Code);
        Assert.False(paid.WasReplay);
        Assert.True(paidAgain.WasReplay);
        Assert.Equal(ErrorCodes.WithdrawalDecided, rejectedAfterPaying.Error!.Code);
        Assert.Equal((600L, 0L, 400L), (wallet.CashAvailableFen, wallet.CashHeldForWithdrawalsFen, wallet.TotalWithdrawnFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Deciding_a_stale_listing_clears_it_from_the_operators_list()
    {
        // A decided request whose removal from the desk failed, and which the wallet has since forgotten.
        await Desk.Enqueue(new WithdrawalView("cash-out-stale", "old", 100, "pending", DateTimeOffset.UtcNow, null, null));

        var decided = await Exchange.Wallet("cash-out-stale").DecideWithdrawal("old", paid: true, "ref");

        Assert.Equal(ErrorCodes.UnknownWithdrawal, decided.Error!.Code);
        Assert.Empty(await ListedForAsync("cash-out-stale"));
    }

    [Fact]
    public async Task A_withdrawal_the_desk_could_not_list_is_held_at_once_and_listed_when_the_desk_answers_again()
    {
        var fan = Exchange.Wallet("cash-out-unlisted");
        await Exchange.FundAsync("cash-out-unlisted", 1_000);

        var cut = UnreachableGrains.Cut<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key);
        WithdrawalResult requested;
        try
        {
            requested = await fan.RequestWithdrawal("w-1", 250);
            Assert.Empty(await ListedForAsync("cash-out-unlisted"));
        }
        finally
        {
            cut.Dispose();
        }

        Assert.Equal("pending", requested.Withdrawal!.Status);
        Assert.Equal(250, (await fan.GetSnapshot()).CashHeldForWithdrawalsFen);
        await Eventually.ValueAsync(() => ListedForAsync("cash-out-unlisted"), listed => listed.Contains("w-1"));
    }

    [Fact]
    public async Task Withdrawals_asked_and_decided_while_the_same_fans_trade_conserve_every_fen()
    {
        string[] celebrities = ["cash-out-busy-a", "cash-out-busy-b"];
        var fans = Enumerable.Range(1, 30).Select(i => $"cash-out-busy-{i:D2}").ToList();
        var trading = await RandomTrading.SetUpAsync(Exchange, celebrities, fans, referencePriceFen: 500, secondsIssued: 20_000, fundEachFen: 500_000,
            firstBuySeconds: 50, seed: 20261126);

        // Each fan asks for a few withdrawals while trading; an operator pays some and rejects others as they come in.
        var random = new Random(7);
        var plan = fans.SelectMany(fan => Enumerable.Range(1, 4).Select(n => (Fan: fan, RequestId: $"w-{n}", Amount: (long)random.Next(1, 40_000), Pay: random.Next(2) == 0))).ToList();
        var withdrawing = Task.WhenAll(plan.Select(async step =>
        {
            var wallet = Exchange.Wallet(step.Fan);
            var asked = await wallet.RequestWithdrawal(step.RequestId, step.Amount);
            return asked.Error is null ? await wallet.DecideWithdrawal(step.RequestId, step.Pay, step.Pay ? "ref" : "no") : asked;
        }));
        await trading.RunAsync(orders: 1_000, concurrency: 50);
        var outcomes = await withdrawing;

        Assert.True(trading.Failed == 0, $"{trading.Failed} calls failed; the first with {trading.FirstFailure}");
        Assert.All(outcomes, outcome => Assert.True(outcome.Error is null || outcome.Error.Code == ErrorCodes.InsufficientFunds, outcome.Error?.Message));
        Assert.True(trading.Placed > 500, $"only {trading.Placed} orders were accepted");
        Assert.True(outcomes.Count(o => o.Withdrawal?.Status == "paid") > 10 && outcomes.Count(o => o.Withdrawal?.Status == "rejected") > 10);
        foreach (var fan in fans)
        {
            var paid = (await Exchange.Wallet(fan).GetWithdrawals()).Where(w => w.Status == "paid").Sum(w => w.AmountFen);
            var wallet = await Exchange.Wallet(fan).GetSnapshot();
            Assert.Equal((paid, 0L), (wallet.TotalWithdrawnFen, wallet.CashHeldForWithdrawalsFen));
        }

        Assert.DoesNotContain(await Desk.GetPending(), w => w.AccountId.StartsWith("cash-out-busy-", StringComparison.Ordinal));
        await Exchange.AssertAuditPassesAsync();
    }
}
