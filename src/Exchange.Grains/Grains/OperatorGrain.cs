using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Storage;
using Orleans.Concurrency;

namespace Exchange.Grains.Grains;

[StatelessWorker]
public sealed class OperatorGrain(ExchangeAuditor auditor, IExchangeDirectory directory) : Grain, IOperatorGrain
{
    public Task<AuditReport> RunAudit() => auditor.RunAsync();

    public Task<IReadOnlyList<string>> ListCelebrities() => directory.ListCelebritiesAsync();
}
