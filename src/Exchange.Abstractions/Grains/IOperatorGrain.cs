using Exchange.Abstractions.Contracts;

namespace Exchange.Abstractions.Grains;

/// <summary>Operator surface: whole-exchange actions. Stateless; any key.</summary>
public interface IOperatorGrain : IGrainWithStringKey
{
    /// <summary>Settles what is pending, then checks every conservation invariant over all accounts.</summary>
    Task<AuditReport> RunAudit();

    Task<IReadOnlyList<string>> ListCelebrities();
}
