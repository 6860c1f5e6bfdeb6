using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

public sealed class CommissionGrain(
    [PersistentState("commission", StorageNames.Exchange)] IPersistentState<CommissionState> commission) : Grain, ICommissionGrain
{
    private bool _unsaved;

    private CommissionState State => commission.State;

    public async Task Credit(string celebrityId, IReadOnlyList<TradeRecord> trades)
    {
        if (_unsaved)
        {
            // A retry after a failed write: what memory already counted must reach storage before it is acknowledged.
            await SaveAsync();
        }

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
            var day = DateOnly.FromDateTime(trade.ExecutedAt.UtcDateTime);
            State.ByDayFen[day] = State.ByDayFen.GetValueOrDefault(day) + trade.CommissionFen;
            credited = trade.Sequence;
            changed = true;
        }

        if (changed)
        {
            State.CreditedSequence[celebrityId] = credited;
            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        try
        {
            await commission.WriteStateAsync();
            _unsaved = false;
        }
        catch
        {
            _unsaved = true;
            throw;
        }
    }

    public Task<CommissionTotals> GetTotals() =>
        Task.FromResult(new CommissionTotals(State.TotalFen, State.TradeCount, new Dictionary<string, long>(State.ByCelebrityFen), new Dictionary<DateOnly, long>(State.ByDayFen)));
}
