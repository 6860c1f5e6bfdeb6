namespace Exchange.Silo.Api.Payments;

/// <summary>
/// The payment provider's deposit notifications (configuration section "Exchange:Payments"). Without a secret the
/// endpoint refuses every notification: only operators can then put money into wallets.
/// </summary>
public sealed class PaymentOptions
{
    public const int MinimumSecretLength = 32;

    /// <summary>The secret the provider signs notifications with; shared out of band, at least 32 characters.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How far a notification's signed time may be from now: older ones are refused as possible replays.</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most one payment may credit; a larger one is refused for an operator to look into.</summary>
    public long MaxDepositFen { get; set; } = 10_000_000;
}
