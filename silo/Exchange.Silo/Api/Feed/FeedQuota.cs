using System.Collections.Concurrent;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Private live feeds (an account's own, a celebrity's slots) one account may hold open on this silo, together: each
/// holds memory and a connection for as long as it lasts, so one key must not be able to open them without end.
/// </summary>
public sealed class FeedQuota
{
    public const int MaxFeedsPerAccount = 5;

    private readonly ConcurrentDictionary<string, int> _openPerAccount = new();

    public int OpenFeeds => _openPerAccount.Values.Sum();

    /// <summary>Takes one place for <paramref name="accountId"/>, or says there is none left.</summary>
    public bool TryTake(string accountId)
    {
        if (_openPerAccount.AddOrUpdate(accountId, 1, (_, open) => open + 1) <= MaxFeedsPerAccount)
        {
            return true;
        }

        Release(accountId);
        return false;
    }

    public void Release(string accountId)
    {
        if (_openPerAccount.AddOrUpdate(accountId, 0, (_, open) => open - 1) <= 0)
        {
            _openPerAccount.TryRemove(new KeyValuePair<string, int>(accountId, 0));
        }
    }

    public static IResult TooMany() => ProblemResults.Problem(StatusCodes.Status429TooManyRequests, Exchange.Abstractions.Contracts.ErrorCodes.TooManyFeeds,
        $"At most {MaxFeedsPerAccount} live feeds of one account may be open on a server; close one first.");
}
