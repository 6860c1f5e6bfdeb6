namespace Exchange.Abstractions;

/// <summary>Ids of the platform's own accounts. Fan ids may not start with these prefixes.</summary>
public static class AccountIds
{
    public const string Treasury = "platform:treasury";

    public const string PayoutPrefix = "payout:";

    public static string Payout(string agentId) => PayoutPrefix + agentId;

    public static bool IsSystem(string accountId) => accountId.StartsWith("platform:", StringComparison.Ordinal) || accountId.StartsWith(PayoutPrefix, StringComparison.Ordinal);
}
