using System.Net.ServerSentEvents;
using System.Security.Claims;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Redemption;
using Exchange.Silo.Api.Auth;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Exchange.Silo.Api.Feed;
using Exchange.Abstractions.Http;

namespace Exchange.Silo.Api.Endpoints;

public static class FeedEndpoints
{
    public static RouteGroupBuilder MapFeed(this RouteGroupBuilder api)
    {
        api.MapGet("/feed", async Task<IResult> (string[]? celebrity, TradeFeed feed, [FromKeyedServices(FeedQuota.Public)] FeedQuota quota, IGrainFactory grains,
            HttpContext context) =>
        {
            var filter = celebrity ?? [];
            if (filter.Length > 100 || filter.Any(id => id.Length is 0 or > 64))
            {
                return ProblemResults.BadRequest("Give at most 100 celebrity ids of 1-64 characters.");
            }

            // A mistyped id would otherwise give a feed that stays silent for ever.
            var distinct = filter.Distinct(StringComparer.Ordinal).ToList();
            var listed = await Task.WhenAll(distinct.Select(id => CelebritiesEndpoints.IsListedAsync(grains, id)));
            if (distinct.Where((_, i) => !listed[i]).ToList() is [_, ..] unknown)
            {
                return ProblemResults.NotFound(ErrorCodes.UnknownCelebrity, $"No celebrity {string.Join(", ", unknown.Select(id => $"'{id}'"))} is listed.");
            }

            if (!quota.TryTakeFor("address:" + context.Connection.RemoteIpAddress, context))
            {
                return quota.TooMany();
            }

            var (id, reader) = await feed.ListenAsync(filter);
            context.RequestAborted.Register(() => feed.Stop(id));
            return TypedResults.ServerSentEvents(ReadAsync(reader, FeedEnds(context)));
        })
        .WithTags("Market data")
        .AllowAnonymous()
        .WithSummary("Live trades and top-of-book updates as Server-Sent Events; repeat ?celebrity= to filter (each must be listed)")
        .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/celebrities/{celebrityId}/slots/feed", async Task<IResult> (string celebrityId, ClaimsPrincipal user, IGrainFactory grains, SlotFeed feed,
            KeyCheck keyCheck, FeedQuota quota, HttpContext context) =>
        {
            // It names the fans who book: only the celebrity's side may listen.
            if (await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "watch its slots") is { } refusal)
            {
                return refusal;
            }

            if (!quota.TryTakeFor(user.AccountId(), context))
            {
                return quota.TooMany();
            }

            var (id, reader) = await feed.ListenAsync(celebrityId);
            keyCheck.StopFeedWith(context, () => feed.Stop(id), RedemptionEndpoints.StopWhenNoLongerActingFor(celebrityId, user, grains, () => feed.Stop(id)));
            return TypedResults.ServerSentEvents(SlotsAsync(reader, FeedEnds(context)));
        })
        .WithTags("Redemption")
        .RequireAuthorization()
        .WithSummary("For the celebrity, its agent and operators: each change of its slots (booked, cancelled, fulfilled, lapsed) as " +
            "Server-Sent Events, after a ready event")
        .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
        .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/bookings/feed", async Task<IResult> (ClaimsPrincipal user, IGrainFactory grains, SlotFeed feed, KeyCheck keyCheck, FeedQuota quota,
            HeldCelebritiesWatch heldWatch, HttpContext context) =>
        {
            var fanId = user.AccountId();
            if (!quota.TryTakeFor(fanId, context))
            {
                return quota.TooMany();
            }

            // What the fan holds a booking with now, and, as the wallet tells of them, those it books with later.
            var held = await heldWatch.OpenAsync(context, fanId);
            var celebrities = (await grains.ByKey<IWalletGrain>(fanId).GetBookings())
                .Where(booking => booking.Kind != SlotKind.TextChat && booking.Status == BookingView.Held)
                .Select(booking => booking.CelebrityId).Distinct().ToList();
            var (id, reader) = await feed.ListenAsync(celebrities, fanId);
            keyCheck.StopFeedWith(context, () => feed.Stop(id));
            held.Widen(celebrities, async (all, added) =>
            {
                await feed.RetargetAsync(id, all);
                // The booking may have been published before this silo listened: the fan's slots as they stand now say it.
                foreach (var celebrityId in added)
                {
                    foreach (var slot in (await grains.ByKey<ISchedulerGrain>(celebrityId).GetSlots(false)).Where(slot => slot.FanId == fanId))
                    {
                        feed.Tell(id, slot);
                    }
                }
            });
            return TypedResults.ServerSentEvents(SlotsAsync(reader, FeedEnds(context)));
        })
            .WithTags("Redemption")
            .RequireAuthorization(ApiRole.Fan)
            .WithSummary("A fan's booked slots as they change (how to join, cancelled by the celebrity, fulfilled...), as Server-Sent Events " +
                "after a ready event; a celebrity the fan first books with after connecting joins the feed as the booking is made")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");

        api.MapGet("/me/feed", async Task<IResult> (ClaimsPrincipal user, AccountFeed feed, FeedQuota quota, HttpContext context) =>
        {
            var accountId = user.AccountId();
            if (!quota.TryTakeFor(accountId, context))
            {
                return quota.TooMany();
            }

            // A celebrity's or agent's own money is its payout account, so that is the wallet its feed follows.
            var walletId = user.IsInRole(ApiRole.Celebrity) ? AccountIds.Payout(accountId) : accountId;
            var watch = await feed.OpenAsync(walletId, user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)!);
            context.Response.RegisterForDisposeAsync(watch);
            return TypedResults.ServerSentEvents(ReadAsync(walletId, watch.Updates, FeedEnds(context)));
        })
        .WithTags("Account")
        .RequireAuthorization()
        .WithSummary("The caller's own changes as Server-Sent Events: order (as it stands now), trade (the caller's side) and balance " +
            "(cash, and the holdings the change touched); for a celebrity key, its payout account's. Best effort: read the wallet after " +
            "the ready event and after reconnecting")
        .Produces<string>(StatusCodes.Status200OK, "text/event-stream");

        return api;
    }

    /// <summary>
    /// A feed ends when its client goes away or when the silo begins to stop. Kestrel waits for open requests before the
    /// silo may stop, so a feed left open would hold the shutdown for the host's whole timeout and leave Orleans no time to
    /// deactivate its grains and leave the cluster; the client reconnects to another silo instead.
    /// </summary>
    internal static CancellationToken FeedEnds(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        context.Response.RegisterForDispose(ends);
        return ends.Token;
    }

    private static async IAsyncEnumerable<SseItem<SlotView?>> SlotsAsync(ChannelReader<SlotView> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<SlotView?>(null, "ready");
        await foreach (var slot in UntilClosedAsync(reader, cancellationToken))
        {
            yield return new SseItem<SlotView?>(slot, "slot");
        }
    }

    private static async IAsyncEnumerable<SseItem<AccountFeedEvent>> ReadAsync(string accountId, ChannelReader<AccountUpdate> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<AccountFeedEvent>(new AccountFeedEvent("ready", null, null, null), "ready");
        await foreach (var update in UntilClosedAsync(reader, cancellationToken))
        {
            foreach (var order in update.Orders)
            {
                yield return new SseItem<AccountFeedEvent>(new AccountFeedEvent("order", order, null, null), "order");
            }

            foreach (var trade in update.Trades)
            {
                yield return new SseItem<AccountFeedEvent>(new AccountFeedEvent("trade", null, AccountTrade.From(accountId, trade), null), "trade");
            }

            var balance = new AccountBalance(update.CashAvailableFen, update.CashReservedFen, update.Holdings, update.CashHeldForWithdrawalsFen);
            yield return new SseItem<AccountFeedEvent>(new AccountFeedEvent("balance", null, null, balance), "balance");
        }
    }

    private static async IAsyncEnumerable<SseItem<FeedEvent>> ReadAsync(ChannelReader<FeedEvent> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // An opening comment-like event tells the client the subscription is live before any trade happens.
        yield return new SseItem<FeedEvent>(new FeedEvent("ready", "", null, null), "ready");
        await foreach (var feedEvent in UntilClosedAsync(reader, cancellationToken))
        {
            yield return new SseItem<FeedEvent>(feedEvent, feedEvent.Kind);
        }
    }

    /// <summary>Reads until the channel completes or the client goes away; a disconnect is the normal end of a feed, not an error.</summary>
    internal static async IAsyncEnumerable<T> UntilClosedAsync<T>(ChannelReader<T> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.WaitToReadAsync(cancellationToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            while (reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }
}
