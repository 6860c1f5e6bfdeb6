namespace Exchange.Abstractions;

/// <summary>
/// Idempotency keys the exchange gives the cash and seconds it moves itself. A wallet remembers every processed key in
/// one set, so an operator's deposit or withdrawal may not use these prefixes: its key would make the exchange's own
/// later move look like a replay, and that move would never happen.
/// </summary>
public static class TransferKeys
{
    private static readonly string[] ReservedPrefixes = ["payment:", "issuance:", "payout:", "chat:"];

    public static string Payment(string paymentId) => "payment:" + paymentId;

    public static string Issuance(string issuanceId) => "issuance:" + issuanceId;

    public static string Payout(string issuanceId) => "payout:" + issuanceId;

    public static string Chat(string redemptionId) => "chat:" + redemptionId;

    public static bool IsReserved(string key) => ReservedPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));

    public static string ReservedList => string.Join(", ", ReservedPrefixes.Select(prefix => $"'{prefix}'"));
}
