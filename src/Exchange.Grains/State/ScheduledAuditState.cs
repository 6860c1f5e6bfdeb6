using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class ScheduledAuditState
{
    [Id(0)] public TimeSpan Every { get; set; }

    [Id(1)] public ScheduledAudit? Last { get; set; }
}
