using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// Whether an operator has halted the whole exchange. Every book holds the halt itself, so orders never ask this
/// grain; it is the record a book opened during the halt reads, and what operators see.
/// </summary>
[Version(1)]
public interface IMarketStatusGrain : IGrainWithStringKey
{
    const string Key = "exchange";

    /// <summary>Why the whole exchange is halted, or null when it is not.</summary>
    Task<string?> GetHaltReason();

    Task Halt(string reason);

    Task Resume();
}
