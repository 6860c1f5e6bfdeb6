namespace Exchange.Abstractions.Contracts;

/// <summary>One audit the exchange ran by itself: when it started, how long it took and what it found.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduledAudit(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] TimeSpan Took,
    [property: Id(2)] AuditReport Report);

/// <summary>How often the exchange audits itself (zero: never) and the latest such audit, if any ran.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduledAuditStatus(
    [property: Id(0)] TimeSpan Every,
    [property: Id(1)] ScheduledAudit? Last);
