namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A celebrity's (or agent's) offer to sell time to the platform: <see cref="Seconds"/> at <see cref="PriceFen"/> per
/// second. <see cref="Status"/>: "pending" until an operator accepts it (the treasury buys the time, as the issuance
/// <see cref="IssuanceId"/>, and offers it on the book) or declines it, or the celebrity's side withdraws it.
/// <see cref="FailedAcceptances"/> counts acceptances whose issuance failed (the treasury short of cash, say). An operator
/// may answer with other terms instead (<see cref="Counter"/>, status "countered"): the celebrity's side then accepts
/// them, which issues the time on those terms, or withdraws the offer.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TimeOfferView(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] string OfferId,
    [property: Id(2)] string OfferedBy,
    [property: Id(3)] long Seconds,
    [property: Id(4)] long PriceFen,
    [property: Id(5)] string? Note,
    [property: Id(6)] string Status,
    [property: Id(7)] DateTimeOffset OfferedAt,
    [property: Id(8)] DateTimeOffset? DecidedAt = null,
    [property: Id(9)] string? DecisionNote = null,
    [property: Id(10)] string? IssuanceId = null,
    [property: Id(11)] int FailedAcceptances = 0,
    [property: Id(12)] TimeOfferCounter? Counter = null)
{
    public const string Pending = "pending";
    public const string Countered = "countered";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Withdrawn = "withdrawn";

    /// <summary>
    /// The issuance the next acceptance makes. It changes only after a failed one (a failed issuance id stays failed), so
    /// accepting again after a crash replays the issuance the crash interrupted instead of buying the time twice.
    /// </summary>
    public string NextIssuanceId => FailedAcceptances == 0 ? "offer-" + OfferId : $"offer-{OfferId}-{FailedAcceptances + 1}";
}

/// <summary>The terms an operator offers back: what the platform would buy, at what price, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record TimeOfferCounter(
    [property: Id(0)] long Seconds,
    [property: Id(1)] long PriceFen,
    [property: Id(2)] string? Note,
    [property: Id(3)] DateTimeOffset CounteredAt);

[GenerateSerializer, Immutable]
public sealed record TimeOfferResult(
    [property: Id(0)] TimeOfferView? Offer,
    [property: Id(1)] bool WasReplay,
    [property: Id(2)] ExchangeError? Error,
    [property: Id(3)] IssuanceResult? Issuance = null)
{
    public static TimeOfferResult Refused(string code, string message) => new(null, false, new ExchangeError(code, message));
}
