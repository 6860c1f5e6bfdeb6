using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class FavouritesGrain(
    [PersistentState("favourites", StorageNames.Exchange)] IPersistentState<FavouritesState> favourites) : Grain, IFavouritesGrain
{
    public Task<IReadOnlyList<string>> Get() => Task.FromResult<IReadOnlyList<string>>(favourites.State.CelebrityIds.ToList());

    public async Task<bool> Add(string celebrityId)
    {
        if (favourites.State.CelebrityIds.Contains(celebrityId))
        {
            return true;
        }

        if (favourites.State.CelebrityIds.Count >= IFavouritesGrain.Max)
        {
            return false;
        }

        favourites.State.CelebrityIds.Add(celebrityId);
        await favourites.WriteStateAsync();
        return true;
    }

    public async Task Remove(string celebrityId)
    {
        if (favourites.State.CelebrityIds.Remove(celebrityId))
        {
            await favourites.WriteStateAsync();
        }
    }
}
