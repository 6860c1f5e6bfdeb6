using System.CommandLine;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Client.Api;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// Money in and out for fans and for celebrities' payout accounts: top-ups, and taking cash out (the owner asks,
/// operators pay the payout outside the exchange and record it, or reject it).
/// </summary>
public static class CashCommands
{
    public static IEnumerable<Command> ForFans(CliContext cli)
    {
        yield return Withdraw(cli, "Ask to take cash out: the amount is held until an operator pays it out or rejects it", (api, request, ct) => api.RequestWithdrawalAsync(request, ct));

        var topUps = new Command("top-ups", "Your top-ups through the payment provider, newest first");
        topUps.SetAction(cli.Run(async (api, _, ct) => cli.Console.Write(Display.TopUpsTable(await api.ListPaymentsAsync(ct)))));
        yield return topUps;

        var adjustments = new Command("adjustments", "Cash the exchange's staff put into or took out of your account, with their note, newest first");
        adjustments.SetAction(cli.Run(async (api, _, ct) => cli.Console.Write(Display.AdjustmentsTable(await api.ListAdjustmentsAsync(ct)))));
        yield return adjustments;

        yield return Withdrawals(cli, "Your withdrawals, newest first, with the payout reference or the reason for a rejection", (api, ct) => api.ListWithdrawalsAsync(ct));
    }

    /// <summary>A celebrity's or agent's payout account is paid out the way a fan's wallet is.</summary>
    public static IEnumerable<Command> ForPayouts(CliContext cli)
    {
        yield return Withdraw(cli, "Ask to be paid what your payout account holds: held until an operator sends it or rejects the request",
            (api, request, ct) => api.RequestPayoutWithdrawalAsync(request, ct));
        yield return Withdrawals(cli, "Your payout account's withdrawals, newest first, with the payout reference or the reason for a rejection",
            (api, ct) => api.ListPayoutWithdrawalsAsync(ct));
    }

    private static Command Withdraw(CliContext cli, string description, Func<ExchangeApiClient, WithdrawalRequest, CancellationToken, Task<WithdrawalView>> send)
    {
        var amount = new Argument<long>("amount-fen") { Description = "Amount in fen (100 = 1 CNY)", CustomParser = WholeNumber.Parser(WholeNumber.Fen) };
        var requestId = new Option<string?>("--request-id") { Description = "Repeat with the same id to be sure it is asked once" };
        var withdraw = new Command("withdraw", description) { amount, requestId };
        withdraw.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var request = new WithdrawalRequest { RequestId = parse.GetValue(requestId) ?? Guid.NewGuid().ToString("N")[..16], AmountFen = parse.GetValue(amount) };
            var withdrawal = await send(api, request, ct);
            cli.Console.MarkupLineInterpolated($"withdrawal {withdrawal.RequestId} of {Display.Yuan(withdrawal.AmountFen)} CNY is {withdrawal.Status}: held until an operator pays it out");
        }));
        return withdraw;
    }

    private static Command Withdrawals(CliContext cli, string description, Func<ExchangeApiClient, CancellationToken, Task<List<WithdrawalView>>> list)
    {
        var command = new Command("withdrawals", description);
        command.SetAction(cli.Run(async (api, _, ct) => cli.Console.Write(Display.WithdrawalsTable(await list(api, ct)))));
        return command;
    }

    public static IEnumerable<Command> ForOperators(CliContext cli)
    {
        var pending = new Command("withdrawals", "Withdrawals waiting to be paid out (fans' and payout accounts'), oldest first");
        pending.SetAction(cli.Run(async (api, _, ct) => cli.Console.Write(Display.WithdrawalsTable(await api.PendingWithdrawalsAsync(ct)))));
        yield return pending;

        yield return Decision(cli, "pay-withdrawal", "Record that a withdrawal was paid out (after sending the money)", pay: true, "--reference", "The payout's reference (bank transfer id)");
        yield return Decision(cli, "reject-withdrawal", "Reject a withdrawal: the cash returns to the account's available balance", pay: false, "--reason", "Why (the account's owner sees it)");
    }

    private static Command Decision(CliContext cli, string name, string description, bool pay, string noteName, string noteDescription)
    {
        var account = new Argument<string>("account");
        var requestId = new Argument<string>("request-id");
        var note = new Option<string>(noteName) { Description = noteDescription, Required = true };
        var command = new Command(name, description) { account, requestId, note };
        command.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var withdrawal = await api.DecideWithdrawalAsync(parse.GetValue(account)!, parse.GetValue(requestId)!, pay, parse.GetValue(note)!, ct);
            cli.Console.MarkupLineInterpolated($"withdrawal {withdrawal.RequestId} of {withdrawal.AccountId} ({Display.Yuan(withdrawal.AmountFen)} CNY) is {withdrawal.Status}");
        }));
        return command;
    }
}
