using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Protection;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Exchange.Grains.Grains;

/// <summary>
/// The platform's single commission account. Every book's settlement passes through it, so it is reentrant: credits
/// arriving while a write is in flight share the next write (group commit) instead of queueing one write each.
/// Each credit checks and applies in one turn, so interleaving happens only at the writes.
/// </summary>
[NewestSilosOnly]
[Reentrant]
public sealed class CommissionGrain(
    IVersionedStateStore store,
    [PersistentState("commission", StorageNames.Exchange)] IPersistentState<CommissionState> legacyCommission,
    Orleans.Serialization.Serializer serializer,
    TradingCalendar calendar,
    ILogger<CommissionGrain> logger) : Grain, ICommissionGrain
{
    private CommissionState _working = null!;
    private StateWriter _writer = null!;
    private CommissionPersistence _storage = null!;

    /// <summary>The live state; storage only ever sees serialized snapshots of it (see <see cref="VersionedGrainState{T}"/>).</summary>
    private CommissionState State => _working;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = new CommissionPersistence(store, serializer, this.GetPrimaryKeyString(), legacyCommission, logger);
        _working = await _storage.ReadAsync(cancellationToken);
        // Memory may hold fees storage does not after a failed write: start again from storage once idle.
        _writer = new StateWriter(() => _storage.WriteAsync(_working), afterFailedWrite: DeactivateOnIdle);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writer.WhenIdleAsync();

    public Task Credit(string celebrityId, IReadOnlyList<TradeRecord> trades)
    {
        var credited = State.CreditedSequence.GetValueOrDefault(celebrityId);
        var changed = false;
        foreach (var trade in trades.OrderBy(trade => trade.Sequence))
        {
            if (trade.Sequence <= credited)
            {
                continue;
            }

            State.TotalFen = checked(State.TotalFen + trade.CommissionFen);
            State.TradeCount++;
            State.ByCelebrityFen[celebrityId] = State.ByCelebrityFen.GetValueOrDefault(celebrityId) + trade.CommissionFen;
            var day = calendar.DayOf(trade.ExecutedAt);
            State.ByDayFen[day] = State.ByDayFen.GetValueOrDefault(day) + trade.CommissionFen;
            credited = trade.Sequence;
            changed = true;
        }

        if (changed)
        {
            State.CreditedSequence[celebrityId] = credited;
        }

        // "Already credited" may rest on a write still in flight, or one that failed: it is acknowledged only once
        // stored, or a reload would lose fees the book has stopped re-sending.
        return changed ? _writer.WriteAsync() : _writer.FlushAsync();
    }

    public Task<CommissionTotals> GetTotals() => Task.FromResult(Totals());

    public Task<CommissionAuditReading> GetAuditReading() =>
        Task.FromResult(new CommissionAuditReading(Totals(), new Dictionary<string, long>(State.CreditedSequence)));

    private CommissionTotals Totals() =>
        new(State.TotalFen, State.TradeCount, new Dictionary<string, long>(State.ByCelebrityFen), new Dictionary<DateOnly, long>(State.ByDayFen));
}
