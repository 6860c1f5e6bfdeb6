namespace Exchange.Abstractions;

/// <summary>Ids of the platform's own accounts. Fan ids may not start with these prefixes.</summary>
public static class AccountIds
{
    public const string Treasury = "platform:treasury";

    public const string PayoutPrefix = "payout:";

    public static string Payout(string agentId) => PayoutPrefix + agentId;

    public static bool IsSystem(string accountId) => IsPlatform(accountId) || accountId.StartsWith(PayoutPrefix, StringComparison.Ordinal);

    /// <summary>The platform's own money (the treasury), as opposed to what it owes celebrities' agents.</summary>
    public static bool IsPlatform(string accountId) => accountId.StartsWith("platform:", StringComparison.Ordinal);
}
