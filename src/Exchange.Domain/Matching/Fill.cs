using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>One match between an incoming (taker) order and a resting (maker) order, at the maker's price.</summary>
public readonly record struct Fill(
    long TradeNumber,
    long MakerOrderId,
    string MakerOwner,
    string MakerReference,
    long TakerOrderId,
    string TakerOwner,
    string TakerReference,
    Side TakerSide,
    Price Price,
    Seconds Quantity)
{
    public string Buyer => TakerSide == Side.Buy ? TakerOwner : MakerOwner;

    public string Seller => TakerSide == Side.Sell ? TakerOwner : MakerOwner;

    public long BuyOrderId => TakerSide == Side.Buy ? TakerOrderId : MakerOrderId;

    public long SellOrderId => TakerSide == Side.Sell ? TakerOrderId : MakerOrderId;

    public string BuyReference => TakerSide == Side.Buy ? TakerReference : MakerReference;

    public string SellReference => TakerSide == Side.Sell ? TakerReference : MakerReference;

    public Cash Notional => Price.NotionalOf(Quantity);
}
