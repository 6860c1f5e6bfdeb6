namespace Exchange.Abstractions.Contracts;

public enum SlotStatus
{
    Open,

    /// <summary>A fan's seconds are being put on hold; settles to Booked or back to Open.</summary>
    Booking,
    Booked,
    Fulfilled,

    /// <summary>The celebrity reported the fan absent: the held seconds are burned.</summary>
    FanNoShow,

    /// <summary>Nobody fulfilled or reported it by its end plus the grace period: the fan got the seconds back.</summary>
    Lapsed,

    /// <summary>The celebrity cancelled a booked slot: the fan got the seconds back.</summary>
    Cancelled,

    /// <summary>Started without ever being booked.</summary>
    Expired,

    /// <summary>Taken back by the celebrity before anyone booked it.</summary>
    Withdrawn,
}
