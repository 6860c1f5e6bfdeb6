using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Redemption;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Exchange.Grains.Grains;

/// <summary>
/// One text chat. The fan's seconds are held while it is open (a hold in the wallet, like a booking's) and settled by
/// the celebrity's scheduler when it ends, which also finishes a settlement a crash interrupted and is what the audit
/// settles first. Every step that touches a wallet is written down before it is taken; the chat's reminder, or the
/// next call, finishes what a crash left, and ends a chat whose time ran out.
/// </summary>
[NewestSilosOnly]
public sealed class ChatSessionGrain(
    [PersistentState("chat", StorageNames.Exchange)] IPersistentState<ChatSessionState> chat,
    IOptions<ExchangeOptions> options,
    ExchangeMetrics metrics,
    ExchangeClock time,
    ILogger<ChatSessionGrain> logger) : MigratableGrain, IChatSessionGrain, IRemindable
{
    public const int MaxMessageLength = 1_000;
    public const int MaxMessages = 200;
    private const string ReminderName = "chat-end";

    private ChatSessionState State => chat.State;

    private string CelebrityId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string ChatId => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    private string HoldId => $"chat-session/{CelebrityId}/{ChatId}";

    private ChatClock Clock => new(State.OpenedAt, State.AnsweredAt, State.Messages.Count > 0 ? State.Messages[^1].At : State.OpenedAt,
        new Seconds(State.HeldSeconds), options.Value.ChatAnswerWithin, options.Value.ChatIdleAfter);

    public async Task<ChatResult> Open(string fanId, long seconds, string message)
    {
        await CatchUpAsync();
        if (State.Stage != ChatStage.None)
        {
            return State.FanId == fanId && State.HeldSeconds == seconds
                ? new ChatResult(View(withMessages: true), true, null)
                : ChatResult.Refused(ErrorCodes.DuplicateRequest, $"Chat id '{ChatId}' is taken; open a chat under an id of its own.");
        }

        if (!ChatClock.IsValidHold(new Seconds(seconds)))
        {
            return ChatResult.Refused(ErrorCodes.InvalidQuantity, $"A text chat holds 1 to {ChatClock.MaxHeld.Value:N0} s; it uses those from the celebrity's first answer to its last message.");
        }

        if (RefusedText(message) is { } badMessage)
        {
            return badMessage;
        }

        if (await GrainFactory.ByKey<ICelebrityGrain>(CelebrityId).GetProfile() is null)
        {
            return ChatResult.Refused(ErrorCodes.UnknownCelebrity, $"'{CelebrityId}' is not listed.");
        }

        var inbox = GrainFactory.ByKey<IChatInboxGrain>(CelebrityId);
        if (await inbox.Admit(ChatId, fanId) is { } crowded)
        {
            return new ChatResult(null, false, crowded);
        }

        var now = time.UtcNow;
        State.FanId = fanId;
        State.HeldSeconds = seconds;
        State.OpenedAt = now;
        State.Messages = [new ChatMessage("fan", fanId, message.Trim(), now)];
        State.Stage = ChatStage.Opening;
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.SlotReminderPeriod, options.Value.SlotReminderPeriod);
        await SaveAsync();
        if (await HoldAsync() is { } refused)
        {
            await inbox.Forget(ChatId);
            return new ChatResult(null, false, refused);
        }

        return new ChatResult(View(withMessages: true), false, null);
    }

    public async Task<ChatResult> Post(string authorId, bool fromCelebritySide, string text)
    {
        await CatchUpAsync();
        if (Refusal(authorId, fromCelebritySide) is { } refusal)
        {
            return refusal;
        }

        if (State.Stage != ChatStage.Waiting && State.Stage != ChatStage.Live)
        {
            return ChatResult.Refused(ErrorCodes.ChatEnded, $"The chat ended ({Describe(State.EndedBy)}); it used {State.UsedSeconds} s.");
        }

        if (RefusedText(text) is { } badText)
        {
            return badText;
        }

        if (State.Messages.Count >= MaxMessages)
        {
            return ChatResult.Refused(ErrorCodes.InvalidRequest, $"A chat carries at most {MaxMessages} messages; open another.");
        }

        var now = time.UtcNow;
        if (fromCelebritySide && State.Stage == ChatStage.Waiting)
        {
            State.AnsweredAt = now;
            State.Stage = ChatStage.Live;
        }

        var message = new ChatMessage(fromCelebritySide ? "celebrity" : "fan", authorId, text.Trim(), now);
        State.Messages.Add(message);
        await SaveAsync(message);
        return new ChatResult(View(withMessages: true), false, null);
    }

    public async Task<ChatResult> End(string byId, bool fromCelebritySide)
    {
        await CatchUpAsync();
        if (Refusal(byId, fromCelebritySide) is { } refusal)
        {
            return refusal;
        }

        if (State.Stage == ChatStage.Ended)
        {
            return new ChatResult(View(withMessages: true), true, null);
        }

        await EndAsync(time.UtcNow, fromCelebritySide ? "celebrity" : "fan");
        return new ChatResult(View(withMessages: true), false, null);
    }

    public Task<ChatView?> Get(string? fanId) => ReadAsync(fanId, withMessages: true);

    public Task<ChatView?> GetSummary(string? fanId) => ReadAsync(fanId, withMessages: false);

    private async Task<ChatView?> ReadAsync(string? fanId, bool withMessages)
    {
        await CatchUpAsync();
        return State.Stage == ChatStage.None || (fanId is not null && fanId != State.FanId) ? null : View(withMessages);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await CatchUpAsync();
        if (State.Stage is ChatStage.None or ChatStage.Ended)
        {
            await ForgetReminderAsync();
        }
    }

    /// <summary>Finishes what a crash left, and ends a chat whose time ran out, at the moment it ran out.</summary>
    private async Task CatchUpAsync()
    {
        if (State.Stage == ChatStage.Opening)
        {
            await HoldAsync();
        }

        if (State.Stage is ChatStage.Waiting or ChatStage.Live && Clock.HasRunOut(time.UtcNow))
        {
            await EndAsync(Clock.EndsAt, Clock.EndedBy);
        }

        if (State.Stage == ChatStage.Ending)
        {
            await SettleAsync();
        }
    }

    /// <summary>Holds the fan's seconds (once per chat: a repeat is a replay); a refusal leaves no chat behind.</summary>
    private async Task<ExchangeError?> HoldAsync()
    {
        var held = await GrainFactory.ByKey<IWalletGrain>(State.FanId).HoldForBooking(
            new BookingView(HoldId, CelebrityId, ChatId, SlotKind.TextChat, State.OpenedAt, State.HeldSeconds, BookingView.Held));
        if (!held.Succeeded)
        {
            await chat.ClearStateAsync();
            chat.State = new ChatSessionState();
            await ForgetReminderAsync();
            return held.Error;
        }

        State.Stage = ChatStage.Waiting;
        await SaveAsync(State.Messages[0]);
        return null;
    }

    private async Task EndAsync(DateTimeOffset endedAt, string endedBy)
    {
        State.UsedSeconds = Clock.Used.Value;
        State.EndedAt = endedAt;
        State.EndedBy = endedBy;
        State.Stage = ChatStage.Ending;
        await chat.WriteStateAsync();
        await SettleAsync();
    }

    private async Task SettleAsync()
    {
        await GrainFactory.ByKey<ISchedulerGrain>(CelebrityId).FinishChatSession(HoldId, State.FanId, State.UsedSeconds);
        State.Stage = ChatStage.Ended;
        await SaveAsync();
        metrics.ChatsEnded.Add(1, new KeyValuePair<string, object?>("ended_by", State.EndedBy));
        metrics.ChatSecondsUsed.Add(State.UsedSeconds);
        await ForgetReminderAsync();
    }

    /// <summary>Writes the chat, lists it as it now stands and tells those watching it, with the message it gained, if any.</summary>
    private async Task SaveAsync(ChatMessage? added = null)
    {
        State.Revision++;
        await chat.WriteStateAsync();
        if (State.Stage != ChatStage.Opening)
        {
            var summary = View(withMessages: false);
            await GrainFactory.ByKey<IChatInboxGrain>(CelebrityId).Record(summary);
            await AnnounceAsync(new ChatEvent(summary, added));
        }
    }

    /// <summary>
    /// Best effort, like every live feed: the change is stored and listed already, so a stream that cannot take it must not
    /// fail the message (its sender would send it again). A watcher that missed it reads the chat when it reconnects.
    /// </summary>
    private async Task AnnounceAsync(ChatEvent change)
    {
        try
        {
            await this.GetStreamProvider(StreamNames.Provider).GetStream<ChatEvent>(StreamId.Create(StreamNames.Chats, CelebrityId)).OnNextAsync(change);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not announce revision {Revision} of chat {ChatId} with {CelebrityId}", change.Chat.Revision, ChatId, CelebrityId);
        }
    }

    private async Task ForgetReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>A fan asking about another fan's chat, or about none, learns only that there is no such chat of theirs.</summary>
    private ChatResult? Refusal(string callerId, bool fromCelebritySide) =>
        State.Stage == ChatStage.None || (!fromCelebritySide && callerId != State.FanId)
            ? ChatResult.Refused(ErrorCodes.UnknownChat, $"No chat '{ChatId}' with '{CelebrityId}'.")
            : null;

    private static ChatResult? RefusedText(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > MaxMessageLength
            ? ChatResult.Refused(ErrorCodes.InvalidRequest, $"A message has 1 to {MaxMessageLength:N0} characters.")
            : null;

    private static string Describe(string? endedBy) => endedBy switch
    {
        "fan" => "the fan ended it",
        "celebrity" => "the celebrity's side ended it",
        "time" => "its held seconds were used up",
        "idle" => "nobody wrote for a while",
        "unanswered" => "nobody answered in time",
        _ => "ended",
    };

    private ChatView View(bool withMessages) => new(
        CelebrityId,
        ChatId,
        State.FanId,
        State.HeldSeconds,
        State.Stage switch { ChatStage.Opening or ChatStage.Waiting => ChatView.Waiting, ChatStage.Live => ChatView.Live, _ => ChatView.Ended },
        State.OpenedAt,
        State.AnsweredAt,
        State.Stage is ChatStage.Ending or ChatStage.Ended && State.EndedAt is { } ended ? ended : Clock.EndsAt,
        State.EndedAt,
        State.EndedBy,
        State.Stage == ChatStage.Live ? Clock.Used.Value : State.UsedSeconds,
        State.Messages.Count,
        withMessages ? State.Messages.ToList() : Array.Empty<ChatMessage>(),
        State.Revision,
        State.Messages.Count > 0 ? State.Messages[^1].From : null);
}
