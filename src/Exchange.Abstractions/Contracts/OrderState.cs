namespace Exchange.Abstractions.Contracts;

/// <summary>Lifecycle of a fan's order as the wallet tracks it.</summary>
public enum OrderState
{
    /// <summary>Funds or seconds reserved; the book has not confirmed it yet.</summary>
    Submitting,
    Open,
    PartiallyFilled,
    Filled,
    Cancelled,
    Rejected,
}
