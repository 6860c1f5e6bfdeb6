namespace Exchange.Abstractions.Contracts;

/// <summary>Stable, machine-readable reasons for refusing a request. API clients switch on these; never rename one.</summary>
public static class ErrorCodes
{
    public const string InvalidQuantity = "invalid_quantity";
    public const string InvalidPrice = "invalid_price";
    public const string InvalidAmount = "invalid_amount";
    public const string InvalidRequest = "invalid_request";
    public const string NotionalTooLarge = "notional_too_large";
    public const string PriceOutsideBand = "price_outside_band";
    public const string MarketHalted = "market_halted";
    public const string MarketNotOpen = "market_not_open";
    public const string UnknownCelebrity = "unknown_celebrity";
    public const string AlreadyListed = "already_listed";
    public const string InsufficientFunds = "insufficient_funds";
    public const string InsufficientSeconds = "insufficient_seconds";
    public const string UnknownOrder = "unknown_order";
    public const string NotYourOrder = "not_your_order";
    public const string OrderNotOpen = "order_not_open";
    public const string DuplicateRequest = "duplicate_request";
    public const string UnknownSlot = "unknown_slot";
    public const string SlotUnavailable = "slot_unavailable";
    public const string SlotInPast = "slot_in_past";
    public const string SlotOverlaps = "slot_overlaps";
    public const string CancellationClosed = "cancellation_closed";
    public const string NotYourBooking = "not_your_booking";
    public const string SlotNotStarted = "slot_not_started";
    public const string ListingRefused = "listing_refused";
    public const string CelebrityFlagged = "celebrity_flagged";
    public const string CelebrityDelisted = "celebrity_delisted";
    public const string TooManyFeeds = "too_many_feeds";
    public const string PaymentConflict = "payment_conflict";
    public const string InvalidSignature = "invalid_signature";
    public const string PaymentsNotConfigured = "payments_not_configured";
    public const string UnknownWithdrawal = "unknown_withdrawal";
    public const string UnknownAccount = "unknown_account";
    public const string WithdrawalDecided = "withdrawal_decided";
    public const string StopAlreadyReached = "stop_already_reached";
    public const string StopNotTriggered = "stop_not_triggered";
    public const string ReadOnlyKey = "read_only_key";
    public const string TooManyKeys = "too_many_keys";
    public const string UnknownKey = "unknown_key";
    public const string TooManyFavourites = "too_many_favourites";
    public const string RateLimited = "rate_limited";
    public const string UnknownOffer = "unknown_offer";
    public const string OfferDecided = "offer_decided";
    public const string OfferCountered = "offer_countered";
    public const string OfferNotCountered = "offer_not_countered";
    public const string TooManyOffers = "too_many_offers";
    public const string AccountSuspended = "account_suspended";
    public const string UnknownChat = "unknown_chat";
    public const string ChatEnded = "chat_ended";
    public const string TooManyChats = "too_many_chats";
    public const string ChatBlocked = "chat_blocked";
    public const string BookingBlocked = "booking_blocked";
}
