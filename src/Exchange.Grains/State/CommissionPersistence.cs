using System.Globalization;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// How the commission account is kept: its totals in the row, and per celebrity and per day one item each, written
/// when it changes. The account takes a credit from every book of the exchange, and a row holding every celebrity
/// and every day ever traded grew with both, each write rewriting all of it; now a write costs the celebrities and
/// the day it credited. Every write compares every item by value (a few thousand comparisons at most, nothing
/// serialized unless changed), so no way of changing the state can be missed.
/// </summary>
public sealed class CommissionPersistence(IVersionedStateStore store, Serializer serializer, string key, IPersistentState<CommissionState> legacyRow, ILogger logger)
    : VersionedGrainState<CommissionState>(store, serializer, "commission", key, legacyRow, logger)
{
    private readonly StoredItemSet<CelebrityCommission, CelebrityCommission> _celebrities = new("celebrity:", figures => figures, EqualityComparer<CelebrityCommission>.Default);
    private readonly StoredItemSet<long, long> _days = new("day:", fee => fee, EqualityComparer<long>.Default);

    protected override void Load(CommissionState state, StateItem item)
    {
        if (_celebrities.Holds(item))
        {
            var figures = Deserialize<CelebrityCommission>(item.Payload);
            var celebrityId = _celebrities.Loaded(item, figures);
            state.ByCelebrityFen[celebrityId] = figures.FeeFen;
            state.CreditedSequence[celebrityId] = figures.CreditedSequence;
        }
        else if (_days.Holds(item))
        {
            var fee = Deserialize<long>(item.Payload);
            state.ByDayFen[DateOnly.ParseExact(_days.Loaded(item, fee), "yyyy-MM-dd", CultureInfo.InvariantCulture)] = fee;
        }
    }

    protected override void Compare(CommissionState state, List<StateItem> upserts, List<string> removals)
    {
        var celebrities = state.ByCelebrityFen.Keys.Concat(state.CreditedSequence.Keys.Where(celebrityId => !state.ByCelebrityFen.ContainsKey(celebrityId)))
            .Select(celebrityId => (celebrityId, 0L, new CelebrityCommission(state.ByCelebrityFen.GetValueOrDefault(celebrityId), state.CreditedSequence.GetValueOrDefault(celebrityId))));
        _celebrities.Compare(celebrities, Serializer, upserts, removals);
        _days.Compare(state.ByDayFen.Select(pair => (pair.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 0L, pair.Value)), Serializer, upserts, removals);
    }

    protected override void Written()
    {
        _celebrities.Written();
        _days.Written();
    }

    protected override byte[] SerializeWithoutItems(CommissionState state)
    {
        var (byCelebrity, credited, byDay) = (state.ByCelebrityFen, state.CreditedSequence, state.ByDayFen);
        (state.ByCelebrityFen, state.CreditedSequence, state.ByDayFen) = ([], [], []);
        try
        {
            return Serializer.SerializeToArray(state);
        }
        finally
        {
            (state.ByCelebrityFen, state.CreditedSequence, state.ByDayFen) = (byCelebrity, credited, byDay);
        }
    }
}
