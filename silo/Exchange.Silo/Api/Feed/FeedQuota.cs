using System.Collections.Concurrent;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Live feeds one owner may hold open on this silo: each holds memory and a connection for as long as it lasts, so no one
/// may open them without end. One quota covers an account's private feeds (its own, a celebrity's slots, chats) together;
/// another, keyed <see cref="Public"/>, the public feeds opened from one client address.
/// </summary>
public sealed class FeedQuota(int maxPerOwner, string owner)
{
    public const int MaxFeedsPerAccount = 5;

    /// <summary>The service key of the public feeds' quota.</summary>
    public const string Public = "public-feeds";

    private readonly ConcurrentDictionary<string, int> _openPerOwner = new();

    public int OpenFeeds => _openPerOwner.Values.Sum();

    /// <summary>Takes one place for <paramref name="ownerId"/> until <paramref name="context"/>'s response ends, or says there is none left.</summary>
    public bool TryTakeFor(string ownerId, HttpContext context)
    {
        if (_openPerOwner.AddOrUpdate(ownerId, 1, (_, open) => open + 1) > maxPerOwner)
        {
            Release(ownerId);
            return false;
        }

        context.Response.OnCompleted(() =>
        {
            Release(ownerId);
            return Task.CompletedTask;
        });
        return true;
    }

    private void Release(string ownerId)
    {
        if (_openPerOwner.AddOrUpdate(ownerId, 0, (_, open) => open - 1) <= 0)
        {
            _openPerOwner.TryRemove(new KeyValuePair<string, int>(ownerId, 0));
        }
    }

    public IResult TooMany() => ProblemResults.Problem(StatusCodes.Status429TooManyRequests, Exchange.Abstractions.Contracts.ErrorCodes.TooManyFeeds,
        $"At most {maxPerOwner} live feeds {owner} may be open on a server; close one first.");
}
