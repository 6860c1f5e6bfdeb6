using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class ChatInboxGrain(
    [PersistentState("chat-inbox", StorageNames.Exchange)] IPersistentState<ChatInboxState> inbox,
    ExchangeClock time) : MigratableGrain, IChatInboxGrain
{
    /// <summary>Ended chats listed, so that both sides can look back at the latest; older ones stay readable by id.</summary>
    public const int EndedKept = 100;

    /// <summary>How long an admitted chat holds its place without being recorded (its opening was cut short).</summary>
    private static readonly TimeSpan AdmissionLifetime = TimeSpan.FromMinutes(1);

    private ChatInboxState State => inbox.State;

    public async Task<ExchangeError?> Admit(string chatId, string fanId)
    {
        var now = time.UtcNow;
        foreach (var stale in State.Admitted.Where(pair => now - pair.Value.At > AdmissionLifetime).Select(pair => pair.Key).ToList())
        {
            State.Admitted.Remove(stale);
        }

        var open = State.Chats.Values.Where(chat => chat.IsOpen && chat.ChatId != chatId).Select(chat => chat.FanId)
            .Concat(State.Admitted.Where(pair => pair.Key != chatId && !State.Chats.ContainsKey(pair.Key)).Select(pair => pair.Value.FanId))
            .ToList();
        if (open.Count(fan => fan == fanId) >= IChatInboxGrain.MaxOpenPerFan)
        {
            return new ExchangeError(ErrorCodes.TooManyChats,
                $"You have {IChatInboxGrain.MaxOpenPerFan} chats open with '{this.GetPrimaryKeyString()}' already; end one or wait for it to end.");
        }

        if (open.Count >= IChatInboxGrain.MaxOpen)
        {
            return new ExchangeError(ErrorCodes.TooManyChats,
                $"'{this.GetPrimaryKeyString()}' has {IChatInboxGrain.MaxOpen} chats open already; try again when some have ended.");
        }

        State.Admitted[chatId] = new ChatAdmission(fanId, now);
        await inbox.WriteStateAsync();
        return null;
    }

    public async Task Record(ChatView chat)
    {
        if (State.Chats.TryGetValue(chat.ChatId, out var listed) && listed.Revision >= chat.Revision)
        {
            return;
        }

        State.Chats[chat.ChatId] = chat with { Messages = Array.Empty<ChatMessage>() };
        State.Admitted.Remove(chat.ChatId);
        foreach (var old in State.Chats.Values.Where(listedChat => !listedChat.IsOpen).OrderByDescending(ended => ended.EndedAt).Skip(EndedKept).ToList())
        {
            State.Chats.Remove(old.ChatId);
        }

        await inbox.WriteStateAsync();
    }

    public async Task Forget(string chatId)
    {
        if (State.Admitted.Remove(chatId) | State.Chats.Remove(chatId))
        {
            await inbox.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<ChatView>> List(string? fanId)
    {
        var chats = State.Chats.Values.Where(chat => fanId is null || chat.FanId == fanId).ToList();
        return Task.FromResult<IReadOnlyList<ChatView>>(chats.Where(chat => chat.IsOpen).OrderBy(chat => chat.OpenedAt)
            .Concat(chats.Where(chat => !chat.IsOpen).OrderByDescending(chat => chat.EndedAt))
            .ToList());
    }
}
