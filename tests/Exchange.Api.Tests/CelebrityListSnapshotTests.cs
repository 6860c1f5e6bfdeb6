using System.Collections.Concurrent;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Grains.Storage;
using Exchange.Silo.Api;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Api.Tests;

/// <summary>
/// The public celebrity list is built from two grain calls per celebrity; requests on one silo share a build for its
/// lifetime. Here a counting function stands in for the grain calls.
/// </summary>
public class CelebrityListSnapshotTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly InMemoryExchangeDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ConcurrentDictionary<string, int> _asked = new();
    private long _lastPriceFen = 100;

    private CelebrityListSnapshot NewList(Func<string, Task<CelebritySummary?>>? summaryOf = null) =>
        new(_directory, summaryOf ?? Summary, Lifetime, _clock);

    private Task<CelebritySummary?> Summary(string celebrityId)
    {
        _asked.AddOrUpdate(celebrityId, 1, (_, count) => count + 1);
        var quote = new MarketQuote(celebrityId, true, 100, 90, 110, Interlocked.Read(ref _lastPriceFen), null, null, null, null);
        return Task.FromResult<CelebritySummary?>(new CelebritySummary(celebrityId, celebrityId, "actor", "agent", 1_000, 0, quote));
    }

    [Fact]
    public async Task Requests_within_the_lifetime_share_one_build_and_the_next_after_it_builds_afresh()
    {
        await _directory.RegisterCelebrityAsync("a");
        await _directory.RegisterCelebrityAsync("b");
        var list = NewList();

        var first = await list.GetAsync();
        _lastPriceFen = 105;
        _clock.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        var shared = await list.GetAsync();

        Assert.Equal((1, 1), (_asked["a"], _asked["b"]));
        Assert.Same(first, shared);
        Assert.All(shared, summary => Assert.Equal(100, summary.Quote.LastPriceFen));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var rebuilt = await list.GetAsync();
        Assert.Equal((2, 2), (_asked["a"], _asked["b"]));
        Assert.All(rebuilt, summary => Assert.Equal(105, summary.Quote.LastPriceFen));
    }

    [Fact]
    public async Task A_celebrity_listed_after_the_build_shows_in_the_next_request_at_once()
    {
        await _directory.RegisterCelebrityAsync("a");
        var list = NewList();
        Assert.Equal(["a"], (await list.GetAsync()).Select(summary => summary.CelebrityId));

        await _directory.RegisterCelebrityAsync("b");

        Assert.Equal(["a", "b"], (await list.GetAsync()).Select(summary => summary.CelebrityId));
    }

    [Fact]
    public async Task Requests_that_arrive_during_a_build_wait_for_it_instead_of_building_again()
    {
        await _directory.RegisterCelebrityAsync("a");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var list = NewList(async celebrityId =>
        {
            await release.Task;
            return await Summary(celebrityId);
        });

        var requests = Enumerable.Range(0, 8).Select(_ => Task.Run(() => list.GetAsync())).ToList();
        await Task.Delay(100);
        release.SetResult();
        var answers = await Task.WhenAll(requests);

        Assert.Equal(1, _asked["a"]);
        Assert.All(answers, answer => Assert.Same(answers[0], answer));
    }

    [Fact]
    public async Task A_celebrity_whose_profile_is_gone_is_left_out()
    {
        await _directory.RegisterCelebrityAsync("a");
        await _directory.RegisterCelebrityAsync("unlisted");
        var list = NewList(celebrityId => celebrityId == "unlisted" ? Task.FromResult<CelebritySummary?>(null) : Summary(celebrityId));

        Assert.Equal(["a"], (await list.GetAsync()).Select(summary => summary.CelebrityId));
    }
}
