using Exchange.Abstractions.Http;
using Exchange.Grains.Storage;

namespace Exchange.Silo.Api;

/// <summary>
/// The public list of celebrities with their quotes, shared by every request on this silo for up to a lifetime
/// (<see cref="ApiOptions.CelebrityListLifetime"/>). Building it asks every celebrity's profile and book: two grain
/// calls each, ~11 ms of the silo's CPU with the 311 listed by the seed catalog. The web page reloads it whenever the
/// celebrity it shows trades, so without sharing, each viewer of a busy celebrity cost the silo that many times a
/// second. The ids are read from the directory on every request: a celebrity listed since the snapshot was taken makes
/// the next request build afresh, so a new listing shows at once and only quotes and profiles can be a lifetime old.
/// </summary>
public sealed class CelebrityListSnapshot(
    IExchangeDirectory directory, Func<string, Task<CelebritySummary?>> summaryOf, TimeSpan lifetime, TimeProvider time)
{
    private sealed record Snapshot(IReadOnlyList<string> Ids, IReadOnlyList<CelebritySummary> Summaries, DateTimeOffset TakenAt);

    /// <summary>One build at a time: requests arriving during a build wait for it rather than start their own.</summary>
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile Snapshot? _latest;

    public async Task<IReadOnlyList<CelebritySummary>> GetAsync(CancellationToken cancellationToken = default)
    {
        var ids = await directory.ListCelebritiesAsync(cancellationToken);
        if (Current(ids) is { } shared)
        {
            return shared;
        }

        await _building.WaitAsync(cancellationToken);
        try
        {
            if (Current(ids) is { } builtMeanwhile)
            {
                return builtMeanwhile;
            }

            var takenAt = time.GetUtcNow();
            var summaries = await Task.WhenAll(ids.Select(summaryOf));
            var snapshot = new Snapshot(ids, summaries.OfType<CelebritySummary>().ToList(), takenAt);
            _latest = snapshot;
            return snapshot.Summaries;
        }
        finally
        {
            _building.Release();
        }
    }

    private IReadOnlyList<CelebritySummary>? Current(IReadOnlyList<string> ids) =>
        _latest is { } snapshot && time.GetUtcNow() - snapshot.TakenAt < lifetime && snapshot.Ids.SequenceEqual(ids, StringComparer.Ordinal)
            ? snapshot.Summaries
            : null;
}
