using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Storage;
using Exchange.Silo.Api.Auth;
using Exchange.Abstractions.Http;

namespace Exchange.Silo.Api.Endpoints;

public static class WalletEndpoints
{
    public static RouteGroupBuilder MapWallet(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/wallet").WithTags("Wallet").RequireAuthorization(ApiRole.Fan);

        group.MapGet("/", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IWalletGrain>(user.AccountId()).GetSnapshot()))
            .WithSummary("Cash and seconds, available and reserved, and the open orders behind the reservations");

        group.MapGet("/history", async ([Range(1, 500)] int? limit, ClaimsPrincipal user, IGrainFactory grains, ITradeJournal journal) =>
            TypedResults.Ok(await HistoryAsync(user.AccountId(), limit ?? 100, grains, journal)))
            .WithSummary("The caller's orders, open and closed (newest first), and its latest trades, limit of each");

        group.MapGet("/trades", async Task<IResult> ([Range(1, 500)] int? limit, string? before, ClaimsPrincipal user, ITradeJournal journal) =>
        {
            var accountId = user.AccountId();
            var pageSize = limit ?? 100;
            if (before is { Length: > 200 } || await journal.ForAccountAsync(accountId, pageSize, before) is not { } trades)
            {
                return ProblemResults.BadRequest($"'{before}' is not one of your trades: pass the nextBefore of the previous page.");
            }

            var page = trades.Select(trade => AccountTrade.From(accountId, trade)).ToList();
            return TypedResults.Ok(new AccountTradePage(page, page.Count == pageSize ? page[^1].TradeId : null));
        })
            .WithSummary("The caller's trades, newest first, a page at a time: pass the nextBefore of one page as before for the next")
            .Produces<AccountTradePage>();

        group.MapGet("/payments", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IAccountPaymentsGrain>(user.AccountId()).GetRecent()))
            .WithSummary("The caller's top-ups through the payment provider, newest first (the latest 100)");

        group.MapGet("/adjustments", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IAccountAdjustmentsGrain>(user.AccountId()).GetRecent()))
            .WithSummary("Cash the exchange's staff put into (positive) or took out of (negative) the caller's account, with their note, " +
                "newest first (the latest 100)");

        group.MapPost("/withdrawals", (WithdrawalRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            RequestWithdrawalAsync(user.AccountId(), request, grains, "/api/v1/wallet/withdrawals"))
            .WithSummary("Ask to take cash out: the amount is held (not available to trade) until an operator pays it out or rejects it. " +
                "Repeating a requestId answers 200 with the original request")
            .Produces<WithdrawalView>(StatusCodes.Status201Created).Produces<WithdrawalView>().ProducesDomainRefusals();

        group.MapGet("/withdrawals", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IWalletGrain>(user.AccountId()).GetWithdrawals()))
            .WithSummary("The caller's withdrawals, newest first: pending ones and the latest paid or rejected");

        // What the platform paid a celebrity (or agent) for their time lands in payout:<account>; its owner reads it and
        // asks for it as a fan asks for its cash, through the same desk the operators already work from.
        var payouts = api.MapGroup("/payouts").WithTags("Wallet").RequireAuthorization(ApiRole.Celebrity);
        payouts.MapGet("/", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IWalletGrain>(AccountIds.Payout(user.AccountId())).GetSnapshot()))
            .WithSummary("What the platform has paid the caller (a celebrity, or the agent it pays) for their time");

        payouts.MapPost("/withdrawals", (WithdrawalRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            RequestWithdrawalAsync(AccountIds.Payout(user.AccountId()), request, grains, "/api/v1/payouts/withdrawals"))
            .WithSummary("Ask to be paid what the payout account holds: the amount is held until an operator sends it (as to a fan) or " +
                "rejects the request. Repeating a requestId answers 200 with the original request")
            .Produces<WithdrawalView>(StatusCodes.Status201Created).Produces<WithdrawalView>().ProducesDomainRefusals();

        payouts.MapGet("/withdrawals", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IWalletGrain>(AccountIds.Payout(user.AccountId())).GetWithdrawals()))
            .WithSummary("The payout account's withdrawals, newest first: pending ones and the latest paid or rejected");

        return api;
    }

    private static async Task<IResult> RequestWithdrawalAsync(string accountId, WithdrawalRequest request, IGrainFactory grains, string location)
    {
        var result = await grains.ByKey<IWalletGrain>(accountId).RequestWithdrawal(request.RequestId, request.AmountFen);
        return result.Error is { } error ? ProblemResults.From(error)
            : result.WasReplay ? TypedResults.Ok(result.Withdrawal)
            : TypedResults.Created(location, result.Withdrawal);
    }

    public static async Task<WalletHistory> HistoryAsync(string accountId, int limit, IGrainFactory grains, ITradeJournal journal)
    {
        var orders = await grains.ByKey<IWalletGrain>(accountId).GetOrders(includeClosed: true);
        var trades = await journal.ForAccountAsync(accountId, limit) ?? [];
        return new WalletHistory(orders.Take(limit).ToList(), trades.Select(trade => AccountTrade.From(accountId, trade)).ToList());
    }
}
