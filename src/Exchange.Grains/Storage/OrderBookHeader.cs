using Exchange.Grains.State;
using Orleans.Serialization;
using Orleans.Storage;

namespace Exchange.Grains.Storage;

/// <summary>What both book stores share: the header's stored form and the error for a stale writer.</summary>
internal static class OrderBookHeader
{
    public static byte[] Serialize(Serializer<OrderBookState> serializer, OrderBookState header)
    {
        if (header.RestingOrders.Count > 0)
        {
            throw new ArgumentException("Resting orders are stored one row each: pass them as upserts, not in the header.", nameof(header));
        }

        return serializer.SerializeToArray(header);
    }

    public static InconsistentStateException VersionConflict(string celebrityId, long expectedVersion) =>
        Storage.VersionConflict.For($"The order book of '{celebrityId}'", expectedVersion);
}
