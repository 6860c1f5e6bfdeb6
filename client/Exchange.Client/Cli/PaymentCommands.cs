using System.CommandLine;
using Exchange.Abstractions.Http;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>Stands in for the payment provider where there is none (a local exchange, a test system).</summary>
public static class PaymentCommands
{
    public static Command DevPayment(CliContext cli)
    {
        var account = new Argument<string>("account") { Description = "The fan who paid" };
        var amount = new Argument<long>("amount-fen") { Description = "Amount in fen (100 = 1 CNY)", CustomParser = WholeNumber.Parser(WholeNumber.Fen) };
        var secretFile = new Option<FileInfo>("--secret-file")
        {
            Description = "File holding the secret the exchange shares with the provider (scripts/run.sh keeps it in .data/payment-webhook.secret)",
            Required = true,
        };
        var paymentId = new Option<string?>("--payment-id") { Description = "The provider's payment id; the same id credits once" };
        var command = new Command("dev-payment", "Report a fan's top-up as the payment provider would (signed with the provider's secret; no API key needed)")
        {
            account, amount, secretFile, paymentId,
        };
        command.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var secret = (await File.ReadAllTextAsync(parse.GetValue(secretFile)!.FullName, ct)).Trim();
            var notification = new PaymentNotification
            {
                PaymentId = parse.GetValue(paymentId) ?? "dev-" + Guid.NewGuid().ToString("N")[..16],
                AccountId = parse.GetValue(account)!,
                AmountFen = parse.GetValue(amount),
                Status = PaymentStatus.Succeeded,
            };
            var receipt = await api.NotifyPaymentAsync(secret, notification, ct: ct);
            if (receipt.Credited)
            {
                cli.Console.MarkupLineInterpolated($"payment {receipt.PaymentId}: {Display.Yuan(notification.AmountFen)} CNY credited to {receipt.AccountId}");
            }
            else
            {
                cli.Console.MarkupLineInterpolated($"payment {receipt.PaymentId}: already credited to {receipt.AccountId}, nothing more");
            }
        }));
        return command;
    }
}
