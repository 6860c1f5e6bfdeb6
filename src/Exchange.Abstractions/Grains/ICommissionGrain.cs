using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>The platform's commission account (a singleton, key <see cref="Key"/>).</summary>
[Version(2)]
public interface ICommissionGrain : IGrainWithStringKey
{
    public const string Key = "platform";

    /// <summary>Credits the fees of trades in sequence order; trades already credited are ignored.</summary>
    Task Credit(string celebrityId, IReadOnlyList<TradeRecord> trades);

    Task<CommissionTotals> GetTotals();

    Task<CommissionAuditReading> GetAuditReading();
}
