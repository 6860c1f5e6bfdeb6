using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;
using Orleans.Concurrency;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// The exchange auditing itself on a schedule (one grain, key <see cref="Key"/>), driven by an Orleans reminder kept in
/// PostgreSQL, so exactly one silo of the cluster runs each audit and the schedule survives restarts.
/// </summary>
[Version(1)]
public interface IScheduledAuditGrain : IGrainWithStringKey
{
    const string Key = "exchange";

    /// <summary>Audits every <paramref name="every"/> from now on; zero stops the schedule. The same period again changes nothing.</summary>
    Task Schedule(TimeSpan every);

    /// <summary>Answered while an audit runs (it may take minutes on a large exchange): it only reads what is kept.</summary>
    [AlwaysInterleave]
    Task<ScheduledAuditStatus> GetStatus();
}
