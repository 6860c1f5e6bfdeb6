using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Redemption;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Exchange.Grains.Grains;

/// <summary>
/// Slots and bookings of one celebrity. Requests run one at a time, so a slot can never be booked twice. Every
/// change that touches a wallet is written down first (<see cref="SlotState.Pending"/>) and finished by the next
/// call, reminder or audit if a crash interrupts it; wallets and the celebrity apply each booking id once.
/// </summary>
[NewestSilosOnly]
public sealed class SchedulerGrain(
    [PersistentState("scheduler", StorageNames.Exchange)] IPersistentState<SchedulerState> scheduler,
    IOptions<ExchangeOptions> options,
    ExchangeClock time) : MigratableGrain, ISchedulerGrain, IRemindable
{
    private const string ReminderName = "slot-watch";

    /// <summary>A link with its meeting code and a line or two of instructions.</summary>
    public const int MaxJoiningDetailsLength = 500;
    private bool _reminderRegistered;

    private SchedulerState State => scheduler.State;

    private string CelebrityId => this.GetPrimaryKeyString();

    private BookingRules Rules => new(options.Value.FanCancellationCutoff, options.Value.FulfilmentGrace);

    public async Task<SlotResult> Publish(SlotRequest request)
    {
        if (await GrainFactory.ByKey<ICelebrityGrain>(CelebrityId).GetProfile() is null)
        {
            return SlotResult.Refused(ErrorCodes.UnknownCelebrity, $"'{CelebrityId}' is not listed.");
        }

        if (string.IsNullOrWhiteSpace(request.SlotId) || request.SlotId.Length > 64 || request.Kind is not (SlotKind.VideoCall or SlotKind.MeetUp)
            || request.Duration <= TimeSpan.Zero || request.Duration > TimeSpan.FromDays(1) || request.Seconds < 0)
        {
            return SlotResult.Refused(ErrorCodes.InvalidRequest, "A slot needs an id (1-64 characters), a kind (a video call or a meet-up), a duration of up to a day and a non-negative price in seconds.");
        }

        if (RefusedJoiningDetails(request.JoiningDetails) is { } tooLong)
        {
            return tooLong;
        }

        if (request.Kind == SlotKind.MeetUp && string.IsNullOrWhiteSpace(request.Location))
        {
            return SlotResult.Refused(ErrorCodes.InvalidRequest, "A meet-up slot needs a location.");
        }

        if (BookingRules.SecondsFor(request.Kind, new Domain.Units.Seconds(request.Seconds)) is not { } price)
        {
            var minimum = RedemptionTiers.MinimumFor(BookingRules.TierOf(request.Kind)).Value;
            return SlotResult.Refused(ErrorCodes.InvalidQuantity,
                $"A {(request.Kind == SlotKind.MeetUp ? "meet-up" : "video call")} costs at least {minimum} s; ask that or more (or leave seconds out for {minimum} s).");
        }

        if (!BookingRules.CanBook(time.UtcNow, request.Start))
        {
            return SlotResult.Refused(ErrorCodes.SlotInPast, "A slot must start in the future.");
        }

        if (!BookingRules.IsWithinLeadTime(time.UtcNow, request.Start))
        {
            return SlotResult.Refused(ErrorCodes.InvalidRequest, $"A slot starts at most {BookingRules.MaxLeadTime.TotalDays:0} days from now: a booking holds the fan's seconds until then.");
        }

        if (State.Slots.TryGetValue(request.SlotId, out var existing))
        {
            return existing.Start == request.Start && existing.Kind == request.Kind
                ? new SlotResult(View(existing), null, WasReplay: true)
                : SlotResult.Refused(ErrorCodes.DuplicateRequest, $"Slot '{request.SlotId}' already exists.");
        }

        if (State.Slots.Values.FirstOrDefault(slot => IsKept(slot.Status)
                && BookingRules.Overlap(request.Start, request.Duration, slot.Start, slot.Duration)) is { } clash)
        {
            return SlotResult.Refused(ErrorCodes.SlotOverlaps,
                $"Slot '{clash.SlotId}' ({clash.Kind}, {clash.Start:u} for {clash.Duration.TotalMinutes:0} min) already takes part of that time.");
        }

        var slot = new SlotState
        {
            SlotId = request.SlotId,
            // One form for every answer and page: a start sent as 19:00+08:00 is shown as 11:00 UTC.
            Start = request.Start.ToUniversalTime(),
            Duration = request.Duration,
            Kind = request.Kind,
            Location = request.Location?.Trim(),
            Seconds = price.Value,
            Status = SlotStatus.Open,
            JoiningDetails = TrimmedJoiningDetails(request.JoiningDetails),
        };
        State.Slots[slot.SlotId] = slot;
        await SaveAndAnnounceAsync(slot);
        return new SlotResult(View(slot), null);
    }

    public async Task<SlotResult> CancelByCelebrity(string slotId)
    {
        if (await SettledSlotAsync(slotId) is not { } slot)
        {
            return UnknownSlot(slotId);
        }

        switch (slot.Status)
        {
            case SlotStatus.Open:
                slot.Status = SlotStatus.Withdrawn;
                await SaveAndAnnounceAsync(slot);
                return new SlotResult(View(slot), null);
            case SlotStatus.Booked:
                await RunWalletStepAsync(slot, PendingWalletStep.Release, SlotStatus.Cancelled);
                return new SlotResult(View(slot), null);
            case SlotStatus.Withdrawn or SlotStatus.Cancelled:
                // Only this method closes a slot so: a repeat whose first answer was lost is done.
                return new SlotResult(View(slot), null, WasReplay: true);
            default:
                return SlotResult.Refused(ErrorCodes.SlotUnavailable, $"Slot '{slotId}' is {slot.Status}.");
        }
    }

    public async Task<SlotResult> SetJoiningDetails(string slotId, string? joiningDetails)
    {
        if (RefusedJoiningDetails(joiningDetails) is { } tooLong)
        {
            return tooLong;
        }

        if (await SettledSlotAsync(slotId) is not { } slot)
        {
            return UnknownSlot(slotId);
        }

        if (!IsKept(slot.Status))
        {
            return SlotResult.Refused(ErrorCodes.SlotUnavailable, $"Slot '{slotId}' is {slot.Status}: nobody will join it.");
        }

        slot.JoiningDetails = TrimmedJoiningDetails(joiningDetails);
        await SaveAndAnnounceAsync(slot);
        return new SlotResult(View(slot), null);
    }

    public async Task<SlotResult> Book(string slotId, string fanId)
    {
        if (await SettledSlotAsync(slotId) is not { } slot)
        {
            return UnknownSlot(slotId);
        }

        if (slot.Status == SlotStatus.Booked && slot.FanId == fanId)
        {
            // The fan that holds it asking again is repeating a request whose answer was lost (a silo restarting): it
            // gets its booking, not a refusal that reads as if someone else had taken the slot.
            return new SlotResult(View(slot), null, WasReplay: true);
        }

        if (slot.Status != SlotStatus.Open || !BookingRules.CanBook(time.UtcNow, slot.Start))
        {
            return SlotResult.Refused(ErrorCodes.SlotUnavailable, $"Slot '{slotId}' is not open for booking.");
        }

        // A fan the celebrity's side blocked is kept from calls and meet-ups as from chats: they are closer contact still.
        if (await GrainFactory.GetGrain<IChatInboxGrain>(CelebrityId).BlockOf(fanId) is { } block)
        {
            return SlotResult.Refused(ErrorCodes.BookingBlocked, $"'{CelebrityId}' does not take bookings from you{block.Ending()}.");
        }

        slot.FanId = fanId;
        slot.BookingId = $"{CelebrityId}/{slotId}/{++slot.BookingCount}";
        slot.Status = SlotStatus.Booking;
        slot.Pending = PendingWalletStep.Hold;
        slot.StatusAfterPending = SlotStatus.Booked;
        await scheduler.WriteStateAsync();

        var held = await Wallet(fanId).HoldForBooking(BookingOf(slot));
        if (!held.Succeeded)
        {
            slot.FanId = null;
            slot.BookingId = null;
            slot.Status = SlotStatus.Open;
            slot.Pending = PendingWalletStep.None;
            await scheduler.WriteStateAsync();
            return new SlotResult(null, held.Error);
        }

        slot.Pending = PendingWalletStep.None;
        slot.Status = SlotStatus.Booked;
        await SaveAndAnnounceAsync(slot);
        return new SlotResult(View(slot), null);
    }

    public async Task<SlotResult> CancelByFan(string slotId, string fanId)
    {
        if (await SettledSlotAsync(slotId) is not { } slot)
        {
            return UnknownSlot(slotId);
        }

        if (slot.Status != SlotStatus.Booked || slot.FanId != fanId)
        {
            return RefusedFanCancellation(slot, fanId);
        }

        if (!Rules.FanMayCancel(time.UtcNow, slot.Start))
        {
            return SlotResult.Refused(ErrorCodes.CancellationClosed,
                $"Bookings can be cancelled until {options.Value.FanCancellationCutoff.TotalHours:0.#} h before the start; this one can no longer be.");
        }

        // The fan's seconds come back and the slot opens again for others.
        slot.CancelledByFanId = fanId;
        await RunWalletStepAsync(slot, PendingWalletStep.Release, SlotStatus.Open);
        return new SlotResult(View(slot), null);
    }

    private SlotResult RefusedFanCancellation(SlotState slot, string fanId)
    {
        if (slot.FanId == fanId)
        {
            return SlotResult.Refused(ErrorCodes.SlotUnavailable, slot.Status == SlotStatus.Cancelled
                ? $"The celebrity cancelled your booking of slot '{slot.SlotId}'; its seconds were returned to you."
                : $"Your booking of slot '{slot.SlotId}' is {slot.Status} and can no longer be cancelled.");
        }

        if (slot.CancelledByFanId == fanId)
        {
            // A fan repeating a cancellation whose answer was lost: it is done, and who holds the slot now is not theirs to see.
            return new SlotResult(View(slot) with { FanId = null }, null, WasReplay: true);
        }

        return SlotResult.Refused(ErrorCodes.NotYourBooking, $"You have no booking of slot '{slot.SlotId}'.");
    }

    /// <summary>A slot still to happen: offered, or promised to a fan.</summary>
    private static bool IsKept(SlotStatus status) => status is SlotStatus.Open or SlotStatus.Booking or SlotStatus.Booked;

    public Task<SlotResult> Fulfil(string slotId) => BurnAsync(slotId, SlotStatus.Fulfilled);

    public Task<SlotResult> ReportFanNoShow(string slotId) => BurnAsync(slotId, SlotStatus.FanNoShow);

    public async Task<TransferResult> RedeemChat(string redemptionId, string fanId, long seconds)
    {
        if (string.IsNullOrWhiteSpace(redemptionId) || redemptionId.Length > 128)
        {
            return TransferResult.Refused(ErrorCodes.InvalidRequest, "A redemption id of 1 to 128 characters is required.");
        }

        if (await GrainFactory.ByKey<ICelebrityGrain>(CelebrityId).GetProfile() is null)
        {
            return TransferResult.Refused(ErrorCodes.UnknownCelebrity, $"'{CelebrityId}' is not listed.");
        }

        var chatId = $"chat/{CelebrityId}/{fanId}/{redemptionId}";
        if (State.PendingChats.TryGetValue(chatId, out var pending) && pending.Seconds != seconds)
        {
            // The first chat under this id is owed; this one is another chat, which needs an id of its own.
            await FinishChatAsync(chatId, pending);
            return WalletGrain.ChatRedemptionIdUsed(pending.Seconds);
        }

        if (!State.PendingChats.TryGetValue(chatId, out var chat))
        {
            // Written before the wallet burns: if its answer is lost, the chat is still here to be counted.
            chat = new PendingChatState { FanId = fanId, Seconds = seconds, Counted = true };
            State.PendingChats[chatId] = chat;
            await scheduler.WriteStateAsync();
        }

        TransferResult burned;
        try
        {
            burned = await FinishChatAsync(chatId, chat);
        }
        catch
        {
            // Its answer lost, the chat stays pending: the reminder finishes it even if nobody asks again.
            await WatchAsync();
            throw;
        }

        await FinishChatsAsync();
        return burned;
    }

    public async Task FinishChatSession(string holdId, string fanId, long usedSeconds)
    {
        if (!State.PendingChats.TryGetValue(holdId, out var chat))
        {
            // Written before either side moves: a crash in between leaves it for the next call, reminder or audit.
            chat = new PendingChatState { FanId = fanId, Seconds = usedSeconds, Counted = true, FromHold = true };
            State.PendingChats[holdId] = chat;
            await scheduler.WriteStateAsync();
        }

        try
        {
            await FinishChatAsync(holdId, chat);
        }
        catch
        {
            await WatchAsync();
            throw;
        }
    }

    public Task<IReadOnlyList<SlotView>> GetSlots(bool includeClosed) => Task.FromResult<IReadOnlyList<SlotView>>(State.Slots.Values
        .Where(slot => includeClosed || IsKept(slot.Status))
        .OrderBy(slot => slot.Start)
        .Select(View)
        .ToList());

    public async Task CompletePending()
    {
        await FinishChatsAsync();
        foreach (var slot in State.Slots.Values.Where(slot => slot.Pending != PendingWalletStep.None).ToList())
        {
            await RunWalletStepAsync(slot, slot.Pending, slot.StatusAfterPending);
        }
    }

    public async Task<int> ProcessDue()
    {
        await CompletePending();
        var now = time.UtcNow;
        foreach (var slot in State.Slots.Values.ToList())
        {
            if (slot.Status == SlotStatus.Open && !BookingRules.CanBook(now, slot.Start))
            {
                slot.Status = SlotStatus.Expired;
                await SaveAndAnnounceAsync(slot);
            }
            else if (slot.Status == SlotStatus.Booked && Rules.IsAbandoned(now, slot.Start, slot.Duration))
            {
                await RunWalletStepAsync(slot, PendingWalletStep.Release, SlotStatus.Lapsed);
            }
        }

        var stillWatched = State.Slots.Values.Count(IsWatched);
        if (stillWatched == 0 && State.PendingChats.Count == 0 && _reminderRegistered && await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _reminderRegistered = false;
        }

        return stillWatched + State.PendingChats.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => ProcessDue();

    private async Task<SlotResult> BurnAsync(string slotId, SlotStatus outcome)
    {
        if (await SettledSlotAsync(slotId) is not { } slot)
        {
            return UnknownSlot(slotId);
        }

        if (slot.Status != SlotStatus.Booked)
        {
            return SlotResult.Refused(ErrorCodes.SlotUnavailable, $"Slot '{slotId}' is {slot.Status}, not booked.");
        }

        if (!BookingRules.HasStarted(time.UtcNow, slot.Start))
        {
            return SlotResult.Refused(ErrorCodes.SlotNotStarted, "A slot can be reported fulfilled or missed only once it has started.");
        }

        await RunWalletStepAsync(slot, PendingWalletStep.Burn, outcome);
        return new SlotResult(View(slot), null);
    }

    /// <summary>Finds a slot, first finishing any step a crash left pending on it.</summary>
    private async Task<SlotState?> SettledSlotAsync(string slotId)
    {
        if (!State.Slots.TryGetValue(slotId, out var slot))
        {
            return null;
        }

        if (slot.Pending != PendingWalletStep.None)
        {
            await RunWalletStepAsync(slot, slot.Pending, slot.StatusAfterPending);
        }

        return slot;
    }

    private async Task RunWalletStepAsync(SlotState slot, PendingWalletStep step, SlotStatus outcome)
    {
        if (slot.Pending != step || slot.StatusAfterPending != outcome)
        {
            slot.Pending = step;
            slot.StatusAfterPending = outcome;
            slot.PendingCounted = true;
            await scheduler.WriteStateAsync();
        }

        var wallet = Wallet(slot.FanId!);
        switch (step)
        {
            case PendingWalletStep.Hold:
                var held = await wallet.HoldForBooking(BookingOf(slot));
                outcome = held.Succeeded ? outcome : SlotStatus.Open;
                break;
            case PendingWalletStep.Release:
                await wallet.ReleaseBooking(slot.BookingId!);
                break;
            case PendingWalletStep.Burn:
                await GrainFactory.ByKey<ICelebrityGrain>(CelebrityId).RecordRedemption(slot.BookingId!, slot.Seconds, slot.PendingCounted);
                await wallet.BurnBooking(slot.BookingId!, slot.PendingCounted);
                break;
        }

        slot.Pending = PendingWalletStep.None;
        slot.Status = outcome;
        if (outcome == SlotStatus.Open)
        {
            slot.FanId = null;
            slot.BookingId = null;
        }

        await SaveAndAnnounceAsync(slot);
    }

    private async Task FinishChatsAsync()
    {
        foreach (var (chatId, chat) in State.PendingChats.ToList())
        {
            await FinishChatAsync(chatId, chat);
        }
    }

    /// <summary>Burns the chat's seconds (once per chat id, so a repeat is answered as a replay) and counts them redeemed.</summary>
    private async Task<TransferResult> FinishChatAsync(string chatId, PendingChatState chat)
    {
        if (chat.FromHold)
        {
            // The celebrity counts first, as for a booking's burn: the audit settles this before it reads either side.
            await GrainFactory.ByKey<ICelebrityGrain>(CelebrityId).RecordRedemption(chatId, chat.Seconds, chat.Counted);
            await Wallet(chat.FanId).SettleChatHold(chatId, chat.Seconds, chat.Counted);
            State.PendingChats.Remove(chatId);
            await scheduler.WriteStateAsync();
            return TransferResult.Done;
        }

        var burned = await Wallet(chat.FanId).RedeemChat(chatId, CelebrityId, chat.Seconds, chat.Counted);
        if (burned.Succeeded)
        {
            await GrainFactory.ByKey<ICelebrityGrain>(CelebrityId).RecordRedemption(chatId, chat.Seconds, chat.Counted);
        }

        State.PendingChats.Remove(chatId);
        await scheduler.WriteStateAsync();
        return burned;
    }

    private async Task SaveAndAnnounceAsync(SlotState slot)
    {
        await scheduler.WriteStateAsync();
        if (IsWatched(slot))
        {
            await WatchAsync();
        }

        var stream = this.GetStreamProvider(StreamNames.Provider).GetStream<BookingEvent>(StreamId.Create(StreamNames.Bookings, CelebrityId));
        await stream.OnNextAsync(new BookingEvent(CelebrityId, View(slot), time.UtcNow));
    }

    private async Task WatchAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.SlotReminderPeriod, options.Value.SlotReminderPeriod);
            _reminderRegistered = true;
        }
    }

    private static bool IsWatched(SlotState slot) => slot.Status is SlotStatus.Open or SlotStatus.Booking or SlotStatus.Booked || slot.Pending != PendingWalletStep.None;

    private IWalletGrain Wallet(string fanId) => GrainFactory.ByKey<IWalletGrain>(fanId);

    private BookingView BookingOf(SlotState slot) => new(slot.BookingId!, CelebrityId, slot.SlotId, slot.Kind, slot.Start, slot.Seconds, BookingView.Held);

    private SlotView View(SlotState slot) => new(slot.SlotId, CelebrityId, slot.Start, slot.Duration, slot.Kind, slot.Location, slot.Seconds, slot.Status, slot.FanId,
        slot.JoiningDetails);

    private static SlotResult? RefusedJoiningDetails(string? joiningDetails) => joiningDetails?.Trim().Length > MaxJoiningDetailsLength
        ? SlotResult.Refused(ErrorCodes.InvalidRequest, $"Joining details have at most {MaxJoiningDetailsLength} characters.")
        : null;

    /// <summary>Blank joining details are none.</summary>
    private static string? TrimmedJoiningDetails(string? joiningDetails) => string.IsNullOrWhiteSpace(joiningDetails) ? null : joiningDetails.Trim();

    private static SlotResult UnknownSlot(string slotId) => SlotResult.Refused(ErrorCodes.UnknownSlot, $"No slot '{slotId}'.");
}
