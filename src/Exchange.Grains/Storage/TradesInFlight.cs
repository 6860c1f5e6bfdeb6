using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.Storage;

/// <summary>
/// The trades an audit reading may have caught half settled: a book settles a trade with three calls (the commission
/// account, the buyer's wallet, the seller's wallet), and the reading visits them at different moments. Each of them
/// says which of the book's events it has applied, so for every trade of the journal's window this works out which
/// sides the reading includes, and what the balances would be had none of them applied it yet. Trades conserve cash
/// and seconds, so those balances must balance too.
/// </summary>
public sealed class TradesInFlight
{
    /// <summary>Add to the cash the reading holds: takes back what the sides that applied a trade of the window moved.</summary>
    public long CashCorrectionFen { get; }

    /// <summary>Per celebrity, add to the seconds the reading holds, for the same reason.</summary>
    public IReadOnlyDictionary<string, long> SecondsCorrection { get; }

    /// <summary>Fees in the journal that the commission account had not credited when it was read.</summary>
    public long UncreditedFeesFen { get; }

    public long UncreditedTrades { get; }

    /// <summary>Trades of the window beyond the last event their book had made by the end of the reading.</summary>
    public IReadOnlyList<TradeRecord> NotMadeByTheirBook { get; }

    public TradesInFlight(AuditReading reading)
    {
        var wallets = reading.Wallets.ToDictionary(wallet => wallet.Balances.AccountId);
        bool Applied(string accountId, TradeRecord trade) =>
            wallets.TryGetValue(accountId, out var wallet) && wallet.AppliedBookEvents.GetValueOrDefault(trade.CelebrityId) >= trade.Sequence;

        long cash = 0, uncreditedFees = 0, uncreditedTrades = 0;
        var seconds = new Dictionary<string, long>();
        var notMade = new List<TradeRecord>();
        foreach (var trade in reading.Journal.Trades)
        {
            if (trade.Sequence > reading.Books.GetValueOrDefault(trade.CelebrityId)?.LastAfter)
            {
                notMade.Add(trade);
            }

            var secondsMoved = 0L;
            if (Applied(trade.BuyerId, trade))
            {
                cash = checked(cash + trade.NotionalFen);
                secondsMoved -= trade.Quantity;
            }

            if (Applied(trade.SellerId, trade))
            {
                cash = checked(cash - (trade.NotionalFen - trade.CommissionFen));
                secondsMoved += trade.Quantity;
            }

            seconds[trade.CelebrityId] = checked(seconds.GetValueOrDefault(trade.CelebrityId) + secondsMoved);
            if (reading.Commission.CreditedSequence.GetValueOrDefault(trade.CelebrityId) >= trade.Sequence)
            {
                cash = checked(cash - trade.CommissionFen);
            }
            else
            {
                uncreditedFees = checked(uncreditedFees + trade.CommissionFen);
                uncreditedTrades++;
            }
        }

        (CashCorrectionFen, SecondsCorrection, UncreditedFeesFen, UncreditedTrades, NotMadeByTheirBook) = (cash, seconds, uncreditedFees, uncreditedTrades, notMade);
    }
}
