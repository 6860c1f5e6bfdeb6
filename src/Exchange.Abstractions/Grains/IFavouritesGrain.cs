using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// The celebrities one account follows (key: the account id), in the order it added them, so that a fan finds them
/// again among hundreds, on any device. A list to show, never the record of a balance.
/// </summary>
[Version(1)]
public interface IFavouritesGrain : IGrainWithStringKey
{
    /// <summary>Enough for anyone's short list, small enough to show whole.</summary>
    const int Max = 100;

    Task<IReadOnlyList<string>> Get();

    /// <summary>Adds the celebrity unless it is there already; false, changing nothing, if the list is full.</summary>
    Task<bool> Add(string celebrityId);

    /// <summary>Removes the celebrity if it is there.</summary>
    Task Remove(string celebrityId);
}
