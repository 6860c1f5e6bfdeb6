using System.Net;
using Exchange.Client.Api;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// Follows one of the exchange's feeds for as long as a command runs. The exchange ends a feed when the silo serving it
/// stops (a restart, a rolling upgrade), so once connected this reconnects every 2 s and says so, as <c>tail -F</c> does.
/// A first connection that fails, or a refusal that a retry cannot change (a revoked key, a missing celebrity), still
/// ends the command with the reason.
/// </summary>
public static class FeedFollower
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    /// <param name="open">Opens the feed; its first event says it is live.</param>
    /// <param name="connected">Printed for that first event.</param>
    /// <param name="handle">Each later event; false ends the command.</param>
    /// <param name="ready">That first event, on each connection, for a feed whose first event says where things stand; false ends the command.</param>
    public static async Task FollowAsync<T>(IAnsiConsole console, Func<CancellationToken, IAsyncEnumerable<T>> open, string connected, Func<T, bool> handle,
        CancellationToken ct, Func<T, bool>? ready = null)
    {
        var live = false;
        while (true)
        {
            try
            {
                var first = true;
                await foreach (var item in open(ct))
                {
                    if (first)
                    {
                        console.MarkupLine(live ? "[grey]reconnected[/]" : $"[grey]{Markup.Escape(connected)}[/]");
                        (first, live) = (false, true);
                        if (ready is not null && !ready(item))
                        {
                            return;
                        }
                    }
                    else if (!handle(item))
                    {
                        return;
                    }
                }

                console.MarkupLine("[grey]the exchange closed the feed; reconnecting[/]");
            }
            catch (Exception cut) when (live && !ct.IsCancellationRequested && Passing(cut))
            {
                // Cut, or the exchange not back yet: keep trying.
            }

            await Task.Delay(ReconnectDelay, ct);
        }
    }

    private static bool Passing(Exception cut) => cut switch
    {
        HttpRequestException or IOException => true,
        ExchangeApiException refused => refused.Status is HttpStatusCode.TooManyRequests || (int)refused.Status >= 500,
        _ => false,
    };
}
