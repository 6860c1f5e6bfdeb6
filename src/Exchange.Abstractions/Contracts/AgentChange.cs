namespace Exchange.Abstractions.Contracts;

/// <summary>A celebrity after its agent changed, and who represented it before (empty: the celebrity itself).</summary>
[GenerateSerializer, Immutable]
public sealed record AgentChange([property: Id(0)] CelebrityProfile Celebrity, [property: Id(1)] string PreviousAgentId);
