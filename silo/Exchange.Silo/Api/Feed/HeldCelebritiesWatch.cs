using System.Security.Claims;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Keeps a fan's feed across celebrities (its chats, its bookings) listening to every celebrity it sets seconds aside
/// with, one it first chats with or books after connecting included: the fan's wallet tells this watch of each change,
/// and seconds held with a celebrity the feed does not hear yet widen it at once. The answer to a fan's first message
/// comes from a person, so the feed hears it; the fan's own opening is what it might miss, and that the fan knows.
/// </summary>
public sealed class HeldCelebritiesWatch(AccountFeed accounts, ILogger<HeldCelebritiesWatch> logger)
{
    /// <summary>
    /// Watches the fan's wallet until the response ends. Open it before reading what the fan holds, so that no hold falls
    /// between the two, and start the widening (<see cref="Opened.Widen"/>) once the feed listens.
    /// </summary>
    public async Task<Opened> OpenAsync(HttpContext context, string fanId)
    {
        var watch = await accounts.OpenAsync(fanId, context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)!);
        context.Response.RegisterForDisposeAsync(watch);
        return new Opened(watch, logger);
    }

    public sealed class Opened(AccountWatch watch, ILogger logger)
    {
        /// <summary>
        /// Calls <paramref name="widen"/> with all the celebrities to hear, and those of them that are new, whenever the fan
        /// holds seconds with a celebrity not in <paramref name="heard"/> yet.
        /// </summary>
        public void Widen(IEnumerable<string> heard, Func<IReadOnlyCollection<string>, IReadOnlyList<string>, Task> widen) => _ = WidenAsync(heard.ToHashSet(), widen);

        private async Task WidenAsync(HashSet<string> heard, Func<IReadOnlyCollection<string>, IReadOnlyList<string>, Task> widen)
        {
            // Ends when the watch does: the response ended or the key was revoked.
            await foreach (var update in watch.Updates.ReadAllAsync())
            {
                var added = update.Holdings.Where(holding => holding.HeldForBookings > 0 && !heard.Contains(holding.CelebrityId))
                    .Select(holding => holding.CelebrityId).ToList();
                if (added.Count == 0)
                {
                    continue;
                }

                try
                {
                    await widen([.. heard, .. added], added);
                    heard.UnionWith(added);
                }
                catch (Exception exception)
                {
                    // Not heard yet, so the fan's next change with that celebrity tries again.
                    logger.LogWarning(exception, "Could not widen a fan's feed to {Celebrities}", string.Join(", ", added));
                }
            }
        }
    }
}
