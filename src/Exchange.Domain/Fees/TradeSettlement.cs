using Exchange.Domain.Units;

namespace Exchange.Domain.Fees;

/// <summary>The money legs of one trade. BuyerPays = SellerReceives + Commission, always.</summary>
public readonly record struct TradeSettlement(Cash BuyerPays, Cash SellerReceives, Cash Commission);
