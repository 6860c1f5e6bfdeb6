using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Exchange.Silo.Api.Feed;
using Exchange.Abstractions.Http;

namespace Exchange.Silo.Api.Endpoints;

public static class FeedEndpoints
{
    public static RouteGroupBuilder MapFeed(this RouteGroupBuilder api)
    {
        api.MapGet("/feed", async Task<IResult> (string[]? celebrity, TradeFeed feed, HttpContext context) =>
        {
            var filter = celebrity ?? [];
            if (filter.Length > 100 || filter.Any(id => id.Length is 0 or > 64))
            {
                return ProblemResults.BadRequest("Give at most 100 celebrity ids of 1-64 characters.");
            }

            var (id, reader) = await feed.ListenAsync(filter);
            context.RequestAborted.Register(() => feed.Stop(id));
            return TypedResults.ServerSentEvents(ReadAsync(reader, context.RequestAborted));
        })
        .WithTags("Market data")
        .AllowAnonymous()
        .WithSummary("Live trades and top-of-book updates as Server-Sent Events; repeat ?celebrity= to filter")
        .Produces<string>(StatusCodes.Status200OK, "text/event-stream");

        return api;
    }

    private static async IAsyncEnumerable<SseItem<FeedEvent>> ReadAsync(ChannelReader<FeedEvent> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // An opening comment-like event tells the client the subscription is live before any trade happens.
        yield return new SseItem<FeedEvent>(new FeedEvent("ready", "", null, null), "ready");
        while (await reader.WaitToReadAsync(cancellationToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            while (reader.TryRead(out var feedEvent))
            {
                yield return new SseItem<FeedEvent>(feedEvent, feedEvent.Kind);
            }
        }
    }
}
