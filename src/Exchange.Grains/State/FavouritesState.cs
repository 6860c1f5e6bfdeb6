namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class FavouritesState
{
    /// <summary>In the order they were added.</summary>
    [Id(0)] public List<string> CelebrityIds { get; set; } = new();
}
