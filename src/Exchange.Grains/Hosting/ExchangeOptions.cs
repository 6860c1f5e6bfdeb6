namespace Exchange.Grains.Hosting;

/// <summary>Market rules an operator may tune (configuration section "Exchange").</summary>
public sealed class ExchangeOptions
{
    public int CommissionBasisPoints { get; set; } = 300;

    public long ListingMinimumFollowers { get; set; } = Domain.Listing.ListingRules.DefaultMinimumFollowers;

    public long ListingMinimumAverageViews { get; set; } = Domain.Listing.ListingRules.DefaultMinimumAverageViews;

    /// <summary>
    /// IANA time zone whose midnight starts a trading day: the band's reference becomes the previous close then, and
    /// commission is totalled per such day. UTC by default; an exchange serving China would set Asia/Shanghai. Changing
    /// it on a running exchange may start a new trading day in each book at its next order, once.
    /// </summary>
    public string TradingDayTimeZone { get; set; } = "UTC";

    /// <summary>Half-width of the daily band around the reference price, in basis points (1000 = +/-10%).</summary>
    public int PriceBandBasisPoints { get; set; } = 1_000;

    /// <summary>Largest price x quantity one order may carry: 1 billion CNY.</summary>
    public long MaxOrderNotionalFen { get; set; } = 100_000_000_000;

    public int VolatilityMaxMoveBasisPoints { get; set; } = 500;

    public TimeSpan VolatilityWindow { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan VolatilityHaltDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon an order book tries again after settlement failed (a wallet or PostgreSQL unreachable).</summary>
    public TimeSpan SettlementRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fans may cancel a booking until this long before the slot starts.</summary>
    public TimeSpan FanCancellationCutoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>After a booked slot's end, how long the celebrity has to report it fulfilled or the fan absent.</summary>
    public TimeSpan FulfilmentGrace { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a wallet remembers a client order id of a closed order: a retry within this window gets the original
    /// answer, a reuse after it places a new order. Without a limit every order ever placed stayed in the wallet's
    /// state and made each of its writes larger.
    /// </summary>
    public TimeSpan ClientOrderIdWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How often the exchange audits itself (one silo of the cluster, on a reminder); zero turns it off. Each audit
    /// reads every wallet, so on a large exchange this is hours, not minutes.
    /// </summary>
    public TimeSpan AuditInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each silo reads the withdrawal desk for the gauges of withdrawals waiting to be paid.</summary>
    public TimeSpan WithdrawalDeskWatchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a scheduler's reminder looks for lapsed slots (Orleans reminders tick at most once a minute by default).</summary>
    public TimeSpan SlotReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a celebrity has to answer a text chat before it lapses and the fan gets its seconds back.</summary>
    public TimeSpan ChatAnswerWithin { get; set; } = Domain.Redemption.ChatClock.DefaultAnswerWithin;

    /// <summary>
    /// How long a celebrity remembers a redemption id so as to count a repeat once. Repeats come within minutes; an id
    /// forgotten sooner than its scheduler finished would be counted twice, which the audit reports.
    /// </summary>
    public TimeSpan RedemptionIdMemory { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a live text chat stays open with nobody writing; it is paid only up to its last message anyway.</summary>
    public TimeSpan ChatIdleAfter { get; set; } = Domain.Redemption.ChatClock.DefaultIdleAfter;

    /// <summary>
    /// How long a message's changes to its celebrity's list of chats (the count, the time used) may wait to be written
    /// with the next ones. What the limits count (a chat opened, answered, ended) is written at once.
    /// </summary>
    public TimeSpan ChatListWriteDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How soon a celebrity retries closing its book when a delisting was recorded but the book did not answer (a
    /// crash, a timeout): a reminder, so the retry survives the silo.
    /// </summary>
    public TimeSpan DelistingRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Wallets also compare every stored item on each write and fail it if the changes they recorded missed one. Costs
    /// what recording changes saves; tests turn it on so that a change made without recording it cannot go unnoticed.
    /// </summary>
    public bool VerifyWalletChangeTracking { get; set; }

    /// <summary>
    /// Lets a silo start although a newer build has run against the database (a deliberate rollback). Whatever the newer
    /// build added to grain state is lost for each grain this build writes back; the audit reports lost cash or seconds.
    /// </summary>
    public bool AllowOlderBuild { get; set; }
}
