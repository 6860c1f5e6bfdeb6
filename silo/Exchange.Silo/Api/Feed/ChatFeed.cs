using System.Threading.Channels;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;

namespace Exchange.Silo.Api.Feed;

/// <summary>A celebrity's chats as they change (opened, written in, ended), from its <c>chats</c> stream.</summary>
public sealed class ChatFeed(IClusterClient client)
{
    private readonly StreamFanOut<ChatEvent, ChatEvent> _fanOut = new(client, StreamNames.Chats, change => change.Chat.CelebrityId,
        change => Task.FromResult<IReadOnlyList<ChatEvent>>([change]));

    /// <summary>Every chat of the celebrity, or only <paramref name="chatId"/>.</summary>
    public Task<(Guid Id, ChannelReader<ChatEvent> Reader)> ListenAsync(string celebrityId, string? chatId = null) =>
        _fanOut.ListenAsync([celebrityId], onlyThese: true, chatId is null ? null : change => change.Chat.ChatId == chatId);

    /// <summary>Every chat of each of <paramref name="celebrityIds"/>, or only those of the fan <paramref name="fanId"/>.</summary>
    public Task<(Guid Id, ChannelReader<ChatEvent> Reader)> ListenAsync(IReadOnlyCollection<string> celebrityIds, string? fanId = null) =>
        _fanOut.ListenAsync(celebrityIds, onlyThese: true, fanId is null ? null : change => change.Chat.FanId == fanId);

    /// <summary>Listener <paramref name="id"/> hears the chats of <paramref name="celebrityIds"/> from now on, in place of those it heard.</summary>
    public Task RetargetAsync(Guid id, IReadOnlyCollection<string> celebrityIds) => _fanOut.RetargetAsync(id, celebrityIds);

    /// <summary>Hands listener <paramref name="id"/> how a change it began to hear late stands now.</summary>
    public void Tell(Guid id, ChatEvent change) => _fanOut.Tell(id, change);

    public void Stop(Guid id) => _fanOut.Stop(id);

    public Task ReleaseAsync() => _fanOut.ReleaseAsync();
}
