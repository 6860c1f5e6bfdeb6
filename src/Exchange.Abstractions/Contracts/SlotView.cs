using Exchange.Domain.Redemption;

namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A published slot. <see cref="JoiningDetails"/> (a video call's link, where exactly to meet) are for the fan who booked
/// it and the celebrity's side only: the API leaves them out for everyone else, as it does <see cref="FanId"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SlotView(
    [property: Id(0)] string SlotId,
    [property: Id(1)] string CelebrityId,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] TimeSpan Duration,
    [property: Id(4)] SlotKind Kind,
    [property: Id(5)] string? Location,
    [property: Id(6)] long Seconds,
    [property: Id(7)] SlotStatus Status,
    [property: Id(8)] string? FanId,
    [property: Id(9)] string? JoiningDetails = null);

[GenerateSerializer, Immutable]
public sealed record SlotRequest(
    [property: Id(0)] string SlotId,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] TimeSpan Duration,
    [property: Id(3)] SlotKind Kind,
    [property: Id(4)] string? Location,
    [property: Id(5)] long Seconds,
    [property: Id(6)] string? JoiningDetails = null);

/// <summary>The answer to a slot action: the slot as it now stands, or why not.</summary>
[GenerateSerializer, Immutable]
public sealed record SlotResult([property: Id(0)] SlotView? Slot, [property: Id(1)] ExchangeError? Error, [property: Id(2)] bool WasReplay = false)
{
    public static SlotResult Refused(string code, string message) => new(null, new ExchangeError(code, message));
}

/// <summary>Published on the <c>bookings</c> stream (key: celebrity id) whenever a slot changes.</summary>
[GenerateSerializer, Immutable]
public sealed record BookingEvent([property: Id(0)] string CelebrityId, [property: Id(1)] SlotView Slot, [property: Id(2)] DateTimeOffset At);

/// <summary>A fan's booking as the fan's wallet records it.</summary>
[GenerateSerializer, Immutable]
public sealed record BookingView(
    [property: Id(0)] string BookingId,
    [property: Id(1)] string CelebrityId,
    [property: Id(2)] string SlotId,
    [property: Id(3)] SlotKind Kind,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] long Seconds,
    [property: Id(6)] string Status)
{
    /// <summary>The status of a booking (or chat) whose seconds are still held: "released" and "burned" are the others.</summary>
    public const string Held = "held";
}
