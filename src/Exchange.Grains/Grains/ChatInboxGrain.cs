using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Redemption;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Microsoft.Extensions.Options;

namespace Exchange.Grains.Grains;

/// <summary>
/// The list of a celebrity's chats, and the limits on how many may be open. What decides those limits (a chat opened,
/// answered, ended) is written at once; a message only moves a chat's count and time used, so that is written a little
/// later, once for all the messages in between: the list of a celebrity with hundreds of open chats would otherwise be
/// rewritten whole with every message of every one of them. A crash can lose those counts, never a chat: the next
/// change of that chat lists it afresh, and the chat itself holds its messages.
/// </summary>
[NewestSilosOnly]
public sealed class ChatInboxGrain(
    [PersistentState("chat-inbox", StorageNames.Exchange)] IPersistentState<ChatInboxState> inbox,
    IOptions<ExchangeOptions> options,
    ExchangeClock time) : MigratableGrain, IChatInboxGrain
{
    /// <summary>Ended chats listed, so that both sides can look back at the latest; older ones stay readable by id.</summary>
    public const int EndedKept = 100;

    /// <summary>How long an admitted chat holds its place without being recorded (its opening was cut short).</summary>
    private static readonly TimeSpan AdmissionLifetime = TimeSpan.FromMinutes(1);

    private IGrainTimer? _progressWrite;

    private ChatInboxState State => inbox.State;

    public async Task<ExchangeError?> Admit(string chatId, string fanId)
    {
        var now = time.UtcNow;
        foreach (var stale in State.Admitted.Where(pair => now - pair.Value.At > AdmissionLifetime).Select(pair => pair.Key).ToList())
        {
            State.Admitted.Remove(stale);
        }

        if (StandingBlock(fanId, now) is { } block)
        {
            // A fan cooling off is told when it may write again, so that it need not keep trying.
            return new ExchangeError(ErrorCodes.ChatBlocked, $"'{this.GetPrimaryKeyString()}' does not take chats from you{block.Ending()}.");
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
        await WriteAsync();
        return null;
    }

    public async Task Record(ChatView chat)
    {
        var known = State.Chats.TryGetValue(chat.ChatId, out var listed);
        if (known && listed!.Revision >= chat.Revision)
        {
            return;
        }

        State.Chats[chat.ChatId] = chat with { Messages = Array.Empty<ChatMessage>() };
        if (known && listed!.Status == chat.Status)
        {
            // Periodic until a write succeeds, so a failed one is tried again.
            _progressWrite ??= this.RegisterGrainTimer(WriteProgressAsync, options.Value.ChatListWriteDelay, options.Value.ChatListWriteDelay);
            return;
        }

        State.Admitted.Remove(chat.ChatId);
        foreach (var old in State.Chats.Values.Where(listedChat => !listedChat.IsOpen).OrderByDescending(ended => ended.EndedAt).Skip(EndedKept).ToList())
        {
            State.Chats.Remove(old.ChatId);
        }

        await WriteAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_progressWrite is not null)
        {
            await WriteAsync();
        }
    }

    private Task WriteProgressAsync(CancellationToken cancellationToken) => _progressWrite is null ? Task.CompletedTask : WriteAsync();

    /// <summary>Writes the list, and with it any progress waiting to be written.</summary>
    private async Task WriteAsync()
    {
        await inbox.WriteStateAsync();
        _progressWrite?.Dispose();
        _progressWrite = null;
    }

    public async Task Forget(string chatId)
    {
        if (State.Admitted.Remove(chatId) | State.Chats.Remove(chatId))
        {
            await WriteAsync();
        }
    }

    public async Task<ChatBlockOutcome?> Block(string fanId, string blockedBy, string? reason, DateTimeOffset? until)
    {
        var now = time.UtcNow;
        // Blocks that ran out are dropped here, where the list is written anyway, rather than on every read.
        foreach (var ended in State.Blocked.Values.Where(stale => !stale.StandsAt(now)).Select(stale => stale.FanId).ToList())
        {
            State.Blocked.Remove(ended);
        }

        if (!State.Blocked.TryGetValue(fanId, out var block))
        {
            if (State.Blocked.Count >= IChatInboxGrain.MaxBlocked)
            {
                return null;
            }

            State.Blocked[fanId] = block = new ChatBlock(fanId, blockedBy, now, reason, until);
            await WriteAsync();
        }
        else if (block.Until != until)
        {
            State.Blocked[fanId] = block = block with { Until = until };
            await WriteAsync();
        }

        // Chats still opening count too: their opening finishes before an end reaches them.
        return new ChatBlockOutcome(block, State.Chats.Values.Where(chat => chat.IsOpen && chat.FanId == fanId).Select(chat => chat.ChatId)
            .Concat(State.Admitted.Where(pair => pair.Value.FanId == fanId && !State.Chats.ContainsKey(pair.Key)).Select(pair => pair.Key))
            .ToList());
    }

    public async Task<bool> Unblock(string fanId)
    {
        if (!State.Blocked.Remove(fanId))
        {
            return false;
        }

        await WriteAsync();
        return true;
    }

    public Task<ChatBlock?> BlockOf(string fanId) => Task.FromResult(StandingBlock(fanId, time.UtcNow));

    /// <summary>The fan's block if it stands at <paramref name="now"/>: one that ran out is kept until the list is next written.</summary>
    private ChatBlock? StandingBlock(string fanId, DateTimeOffset now) =>
        State.Blocked.TryGetValue(fanId, out var block) && block.StandsAt(now) ? block : null;

    public Task<IReadOnlyList<ChatBlock>> ListBlocked() =>
        Task.FromResult<IReadOnlyList<ChatBlock>>(State.Blocked.Values.Where(block => block.StandsAt(time.UtcNow)).OrderByDescending(block => block.BlockedAt).ToList());

    public Task<ChatResponsivenessView> GetResponsiveness()
    {
        var responsiveness = ChatResponsiveness.Of(State.Chats.Values.Select(chat => new ChatOutcome(chat.OpenedAt, chat.AnsweredAt, chat.EndedBy)));
        return Task.FromResult(new ChatResponsivenessView(this.GetPrimaryKeyString(), responsiveness.Decided, responsiveness.Answered,
            responsiveness.MedianAnswerTime is { } median ? (long)Math.Ceiling(median.TotalSeconds) : null));
    }

    public Task<IReadOnlyList<ChatView>> List(string? fanId)
    {
        var chats = State.Chats.Values.Where(chat => fanId is null || chat.FanId == fanId).ToList();
        return Task.FromResult<IReadOnlyList<ChatView>>(chats.Where(chat => chat.IsOpen).OrderBy(chat => chat.OpenedAt)
            .Concat(chats.Where(chat => !chat.IsOpen).OrderByDescending(chat => chat.EndedAt))
            .ToList());
    }
}
