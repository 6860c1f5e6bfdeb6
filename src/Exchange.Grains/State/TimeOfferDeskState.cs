using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class TimeOfferDeskState
{
    /// <summary>Offers by "celebrity id/offer id": every pending one, and the latest decided ones of each celebrity.</summary>
    [Id(0)] public Dictionary<string, TimeOfferView> Offers { get; set; } = new();
}
