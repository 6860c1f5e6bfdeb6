using System.Threading.Channels;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;

namespace Exchange.Silo.Api.Feed;

/// <summary>A celebrity's slots as they change (booked, cancelled, fulfilled...), from its <c>bookings</c> stream.</summary>
public sealed class SlotFeed(IClusterClient client)
{
    private readonly StreamFanOut<BookingEvent, SlotView> _fanOut = new(client, StreamNames.Bookings, change => change.CelebrityId,
        change => Task.FromResult<IReadOnlyList<SlotView>>([change.Slot]));

    public Task<(Guid Id, ChannelReader<SlotView> Reader)> ListenAsync(string celebrityId) => _fanOut.ListenAsync([celebrityId], onlyThese: true);

    /// <summary>The slots the fan <paramref name="fanId"/> has booked with any of <paramref name="celebrityIds"/>, as they change.</summary>
    public Task<(Guid Id, ChannelReader<SlotView> Reader)> ListenAsync(IReadOnlyCollection<string> celebrityIds, string fanId) =>
        _fanOut.ListenAsync(celebrityIds, onlyThese: true, slot => slot.FanId == fanId);

    /// <summary>Listener <paramref name="id"/> hears the slots of <paramref name="celebrityIds"/> from now on, in place of those it heard.</summary>
    public Task RetargetAsync(Guid id, IReadOnlyCollection<string> celebrityIds) => _fanOut.RetargetAsync(id, celebrityIds);

    /// <summary>Hands listener <paramref name="id"/> how a slot it began to hear late stands now.</summary>
    public void Tell(Guid id, SlotView slot) => _fanOut.Tell(id, slot);

    public void Stop(Guid id) => _fanOut.Stop(id);

    public Task ReleaseAsync() => _fanOut.ReleaseAsync();
}
