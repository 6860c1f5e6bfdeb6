namespace Exchange.Abstractions.Grains;

/// <summary>A grain an operator may move to another silo (activation rebalancing). Its state moves with it.</summary>
public interface IMigratableGrain : IGrain
{
    /// <summary>Asks the grain to move to <paramref name="target"/> once it is idle.</summary>
    Task MoveTo(SiloAddress target);
}
