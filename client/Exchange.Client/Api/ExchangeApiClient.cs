using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;

namespace Exchange.Client.Api;

/// <summary>
/// Typed client for every endpoint of the exchange's HTTP API (/api/v1). Refusals throw <see cref="ExchangeApiException"/>.
/// With a <see cref="IRequestRetry"/>, requests that are safe to repeat are repeated while the exchange cannot answer.
/// </summary>
public sealed class ExchangeApiClient(HttpClient http, IRequestRetry? retry = null)
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static ExchangeApiClient Create(Uri baseAddress, string? apiKey, IRequestRetry? retry = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        return new ExchangeApiClient(http, retry);
    }

    // Market data
    /// <summary>Every listed celebrity, or those of <paramref name="category"/>, whose id or name contains <paramref name="search"/>, that have (or have not) traded.</summary>
    public Task<List<CelebritySummary>> ListCelebritiesAsync(CancellationToken ct = default, string? category = null, string? search = null, bool? traded = null, string? sort = null)
    {
        var filters = new[]
        {
            category is null ? null : "category=" + Uri.EscapeDataString(category),
            search is null ? null : "search=" + Uri.EscapeDataString(search),
            traded is null ? null : "traded=" + (traded.Value ? "true" : "false"),
            sort is null ? null : "sort=" + Uri.EscapeDataString(sort),
        }.OfType<string>().ToList();
        return GetAsync<List<CelebritySummary>>("api/v1/celebrities" + (filters.Count == 0 ? "" : "?" + string.Join('&', filters)), ct);
    }

    public Task<MarketRules> GetRulesAsync(CancellationToken ct = default) => GetAsync<MarketRules>("api/v1/rules", ct);

    public Task<CelebrityDetail> GetCelebrityAsync(string celebrityId, CancellationToken ct = default) => GetAsync<CelebrityDetail>($"api/v1/celebrities/{Escape(celebrityId)}", ct);

    public Task<BookDepth> GetBookAsync(string celebrityId, int levels = 10, CancellationToken ct = default) =>
        GetAsync<BookDepth>($"api/v1/celebrities/{Escape(celebrityId)}/book?levels={levels}", ct);

    public Task<List<PublicTrade>> GetTradesAsync(string celebrityId, int limit = 50, CancellationToken ct = default) =>
        GetAsync<List<PublicTrade>>($"api/v1/celebrities/{Escape(celebrityId)}/trades?limit={limit}", ct);

    public Task<List<Candle>> GetCandlesAsync(string celebrityId, int limit = 60, CancellationToken ct = default) =>
        GetAsync<List<Candle>>($"api/v1/celebrities/{Escape(celebrityId)}/candles?limit={limit}", ct);

    // A fan's own orders and wallet
    public Task<OrderResult> PlaceOrderAsync(PlaceOrderRequest order, CancellationToken ct = default) =>
        SendAsync<OrderResult>(HttpMethod.Post, "api/v1/orders", order, ct, repeatable: order.ClientOrderId is not null);

    /// <summary>
    /// Repeatable: an order is cancelled at most once, and a repeat after the first took effect is refused with how the
    /// order closed (cancelled, or filled first).
    /// </summary>
    public Task<OrderResult> CancelOrderAsync(string orderId, CancellationToken ct = default) =>
        SendAsync<OrderResult>(HttpMethod.Delete, $"api/v1/orders/{Escape(orderId)}", null, ct, repeatable: true);

    /// <summary>
    /// Repeatable: a reduce to what is already outstanding is taken as done. Should fills between the two leave less than
    /// asked, the repeat is refused with what is left, which is what the caller wanted anyway; nothing moves twice.
    /// </summary>
    public Task<OrderResult> ReduceOrderAsync(string orderId, long remainingQuantity, CancellationToken ct = default) =>
        SendAsync<OrderResult>(HttpMethod.Patch, $"api/v1/orders/{Escape(orderId)}", new ChangeOrderRequest { RemainingQuantity = remainingQuantity }, ct, repeatable: true);

    /// <summary>
    /// Repeatable: the book takes a price the order already has as done, so a repeat after an answer lost to a restarting
    /// silo changes nothing more.
    /// </summary>
    public Task<OrderResult> RepriceOrderAsync(string orderId, long priceFen, CancellationToken ct = default) =>
        SendAsync<OrderResult>(HttpMethod.Patch, $"api/v1/orders/{Escape(orderId)}", new ChangeOrderRequest { PriceFen = priceFen }, ct, repeatable: true);

    /// <summary>
    /// Repeatable: it cancels whatever is open when it arrives, so a repeat ends in the same place; its answer then lists
    /// only what the repeat itself cancelled.
    /// </summary>
    public Task<CancelAllResult> CancelAllOrdersAsync(string? celebrityId, CancellationToken ct = default) =>
        SendAsync<CancelAllResult>(HttpMethod.Delete, "api/v1/orders" + (celebrityId is null ? "" : "?celebrityId=" + Uri.EscapeDataString(celebrityId)), null, ct, repeatable: true);

    public Task<List<OrderView>> ListOrdersAsync(bool includeClosed = false, string? celebrityId = null, CancellationToken ct = default) =>
        GetAsync<List<OrderView>>($"api/v1/orders?includeClosed={(includeClosed ? "true" : "false")}{(celebrityId is null ? "" : "&celebrityId=" + Uri.EscapeDataString(celebrityId))}", ct);

    public Task<OrderView> GetOrderAsync(string orderId, CancellationToken ct = default) => GetAsync<OrderView>($"api/v1/orders/{Escape(orderId)}", ct);

    public Task<WalletSnapshot> GetWalletAsync(CancellationToken ct = default) => GetAsync<WalletSnapshot>("api/v1/wallet", ct);

    public Task<AccountTradePage> GetTradesAsync(int limit, string? before, CancellationToken ct = default) =>
        GetAsync<AccountTradePage>($"api/v1/wallet/trades?limit={limit}{(before is null ? "" : "&before=" + Escape(before))}", ct);

    public Task<WalletHistory> GetHistoryAsync(int limit = 100, CancellationToken ct = default) => GetAsync<WalletHistory>($"api/v1/wallet/history?limit={limit}", ct);

    // Redemption
    public Task<List<SlotView>> ListSlotsAsync(string celebrityId, bool includeClosed = false, CancellationToken ct = default) =>
        GetAsync<List<SlotView>>($"api/v1/celebrities/{Escape(celebrityId)}/slots?includeClosed={(includeClosed ? "true" : "false")}", ct);

    public Task<SlotView> PublishSlotAsync(string celebrityId, PublishSlotRequest request, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/slots", request, ct, repeatable: true);

    /// <summary>Repeatable: setting the same details again changes nothing.</summary>
    public Task<SlotView> SetJoiningDetailsAsync(string celebrityId, string slotId, string? joiningDetails, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/slots/{Escape(slotId)}/details",
            new JoiningDetailsRequest { JoiningDetails = joiningDetails }, ct, repeatable: true);

    public Task<SlotView> CancelSlotAsync(string celebrityId, string slotId, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/slots/{Escape(slotId)}/cancel", null, ct, repeatable: true);

    public Task<SlotView> FulfilSlotAsync(string celebrityId, string slotId, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/slots/{Escape(slotId)}/fulfil", null, ct);

    public Task<SlotView> ReportNoShowAsync(string celebrityId, string slotId, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/slots/{Escape(slotId)}/no-show", null, ct);

    public Task<SlotView> BookSlotAsync(string celebrityId, string slotId, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/slots/{Escape(slotId)}/booking", null, ct, repeatable: true);

    public Task<SlotView> CancelBookingAsync(string celebrityId, string slotId, CancellationToken ct = default) =>
        SendAsync<SlotView>(HttpMethod.Delete, $"api/v1/celebrities/{Escape(celebrityId)}/slots/{Escape(slotId)}/booking", null, ct, repeatable: true);

    // Primary market: offers of time
    /// <summary>Repeatable: an offer id with the same terms answers the offer already made.</summary>
    public Task<TimeOfferView> OfferTimeAsync(string celebrityId, TimeOfferRequest request, CancellationToken ct = default) =>
        SendAsync<TimeOfferView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/offers", request, ct, repeatable: request.OfferId is not null);

    public Task<List<TimeOfferView>> ListOffersAsync(string celebrityId, CancellationToken ct = default) =>
        GetAsync<List<TimeOfferView>>($"api/v1/celebrities/{Escape(celebrityId)}/offers", ct);

    public Task<TimeOfferView> WithdrawOfferAsync(string celebrityId, string offerId, CancellationToken ct = default) =>
        SendAsync<TimeOfferView>(HttpMethod.Delete, $"api/v1/celebrities/{Escape(celebrityId)}/offers/{Escape(offerId)}", null, ct, repeatable: true);

    public Task<List<TimeOfferView>> OffersToDecideAsync(bool includeDecided, CancellationToken ct = default) =>
        GetAsync<List<TimeOfferView>>($"api/v1/admin/offers?includeDecided={(includeDecided ? "true" : "false")}", ct);

    /// <summary>Repeatable: accepting an accepted offer answers it again; the time is bought once.</summary>
    public Task<TimeOfferDecision> AcceptOfferAsync(string celebrityId, string offerId, string? note, CancellationToken ct = default) =>
        SendAsync<TimeOfferDecision>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/offers/{Escape(offerId)}/accept",
            new OfferDecisionRequest { Note = note }, ct, repeatable: true);

    /// <summary>Repeatable: the same counter-offer again answers it again.</summary>
    public Task<TimeOfferView> CounterOfferAsync(string celebrityId, string offerId, CounterOfferRequest request, CancellationToken ct = default) =>
        SendAsync<TimeOfferView>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/offers/{Escape(offerId)}/counter", request, ct, repeatable: true);

    /// <summary>For the celebrity's side. Repeatable: accepting an accepted counter-offer answers it again; the time is bought once.</summary>
    public Task<TimeOfferDecision> AcceptCounterOfferAsync(string celebrityId, string offerId, CancellationToken ct = default) =>
        SendAsync<TimeOfferDecision>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/offers/{Escape(offerId)}/accept", null, ct, repeatable: true);

    public Task<TimeOfferView> DeclineOfferAsync(string celebrityId, string offerId, string note, CancellationToken ct = default) =>
        SendAsync<TimeOfferView>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/offers/{Escape(offerId)}/decline",
            new OfferDecisionRequest { Note = note }, ct, repeatable: true);

    // Text chats
    /// <summary>Repeatable with a chat id: opening it again with the same seconds answers the chat already open.</summary>
    public Task<ChatView> OpenChatAsync(string celebrityId, OpenChatRequest request, CancellationToken ct = default) =>
        SendAsync<ChatView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions", request, ct, repeatable: request.ChatId is not null);

    /// <summary>One celebrity's chats (a fan's own, or all for its side), or with no celebrity a fan's latest with everyone.</summary>
    public Task<List<ChatView>> ListChatsAsync(string? celebrityId, CancellationToken ct = default) =>
        GetAsync<List<ChatView>>(celebrityId is null ? "api/v1/chats" : $"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions", ct);

    public Task<ChatView> GetChatAsync(string celebrityId, string chatId, CancellationToken ct = default) =>
        GetAsync<ChatView>($"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions/{Escape(chatId)}", ct);

    /// <summary>Not repeated after a failure: a message whose answer was lost may have been posted, and would show twice.</summary>
    public Task<ChatView> SayInChatAsync(string celebrityId, string chatId, string text, CancellationToken ct = default) =>
        SendAsync<ChatView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions/{Escape(chatId)}/messages", new ChatMessageRequest { Text = text }, ct);

    /// <summary>Repeatable: ending an ended chat answers it as it ended.</summary>
    public Task<ChatView> EndChatAsync(string celebrityId, string chatId, CancellationToken ct = default) =>
        SendAsync<ChatView>(HttpMethod.Post, $"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions/{Escape(chatId)}/end", null, ct, repeatable: true);

    /// <summary>
    /// For the celebrity's side: stops a fan opening chats with the celebrity, for <paramref name="hours"/> or until lifted,
    /// and ends its open ones (a repeat keeps the block and takes its new end).
    /// </summary>
    public Task<ChatBlockResult> BlockChatsFromAsync(string celebrityId, string fanId, string? reason, int? hours = null, CancellationToken ct = default) =>
        SendAsync<ChatBlockResult>(HttpMethod.Put, $"api/v1/celebrities/{Escape(celebrityId)}/chat-blocks/{Escape(fanId)}",
            new ChatBlockRequest { Reason = reason, Hours = hours }, ct, repeatable: true);

    public Task UnblockChatsFromAsync(string celebrityId, string fanId, CancellationToken ct = default) =>
        SendRepeatableAsync(HttpMethod.Delete, $"api/v1/celebrities/{Escape(celebrityId)}/chat-blocks/{Escape(fanId)}", ct);

    public Task<ChatResponsivenessView> GetChatResponsivenessAsync(string celebrityId, CancellationToken ct = default) =>
        GetAsync<ChatResponsivenessView>($"api/v1/celebrities/{Escape(celebrityId)}/chat-responsiveness", ct);

    public Task<List<ChatBlock>> ListChatBlocksAsync(string celebrityId, CancellationToken ct = default) =>
        GetAsync<List<ChatBlock>>($"api/v1/celebrities/{Escape(celebrityId)}/chat-blocks", ct);

    public Task<List<BookingView>> ListBookingsAsync(CancellationToken ct = default) => GetAsync<List<BookingView>>("api/v1/bookings", ct);

    // Operators
    public Task<CelebrityProfile> ListCelebrityAsync(ListCelebrityRequest request, CancellationToken ct = default) =>
        SendAsync<CelebrityProfile>(HttpMethod.Post, "api/v1/admin/celebrities", request, ct);

    public Task<IssuanceResult> IssueTimeAsync(string celebrityId, IssueTimeRequest request, CancellationToken ct = default) =>
        SendAsync<IssuanceResult>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/issuances", request, ct, repeatable: true);

    public Task<MarketQuote> HaltAsync(string celebrityId, string? reason, CancellationToken ct = default) =>
        SendAsync<MarketQuote>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/halt", new HaltRequest { Reason = reason }, ct);

    public Task<MarketQuote> ResumeAsync(string celebrityId, CancellationToken ct = default) =>
        SendAsync<MarketQuote>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/resume", null, ct);

    public Task<WalletSnapshot> GetPayoutsAsync(CancellationToken ct = default) => GetAsync<WalletSnapshot>("api/v1/payouts", ct);

    public Task<WithdrawalView> RequestPayoutWithdrawalAsync(WithdrawalRequest request, CancellationToken ct = default) =>
        SendAsync<WithdrawalView>(HttpMethod.Post, "api/v1/payouts/withdrawals", request, ct, repeatable: true);

    public Task<List<WithdrawalView>> ListPayoutWithdrawalsAsync(CancellationToken ct = default) => GetAsync<List<WithdrawalView>>("api/v1/payouts/withdrawals", ct);

    public Task<DelistResult> DelistAsync(string celebrityId, string reason, CancellationToken ct = default) =>
        SendAsync<DelistResult>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/delist", new DelistRequest { Reason = reason }, ct);

    public Task<CelebrityProfile> UpdateAudienceAsync(string celebrityId, AudienceRequest request, CancellationToken ct = default) =>
        SendAsync<CelebrityProfile>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/audience", request, ct);

    public Task<List<CelebrityProfile>> ListCelebrityProfilesAsync(string? status, CancellationToken ct = default) =>
        GetAsync<List<CelebrityProfile>>($"api/v1/admin/celebrities{(status is null ? "" : "?status=" + Escape(status))}", ct);

    /// <summary>Gives the celebrity another agent (null or empty: none); safe to repeat.</summary>
    public Task<AgentChangeResponse> ChangeAgentAsync(string celebrityId, string? agentId, CancellationToken ct = default) =>
        SendAsync<AgentChangeResponse>(HttpMethod.Put, $"api/v1/admin/celebrities/{Escape(celebrityId)}/agent", new AgentRequest { AgentId = agentId }, ct, repeatable: true);

    public Task<CelebrityProfile> RelistAsync(string celebrityId, CancellationToken ct = default) =>
        SendAsync<CelebrityProfile>(HttpMethod.Post, $"api/v1/admin/celebrities/{Escape(celebrityId)}/relist", null, ct);

    public Task<MarketHaltResult> HaltMarketAsync(string? reason, CancellationToken ct = default) =>
        SendAsync<MarketHaltResult>(HttpMethod.Post, "api/v1/admin/market/halt", new HaltRequest { Reason = reason }, ct);

    public Task<MarketStatus> GetMarketStatusAsync(CancellationToken ct = default) => GetAsync<MarketStatus>("api/v1/admin/market", ct);

    public Task<MarketHaltResult> ResumeMarketAsync(CancellationToken ct = default) =>
        SendAsync<MarketHaltResult>(HttpMethod.Post, "api/v1/admin/market/resume", null, ct);

    public Task<WalletSnapshot> DepositAsync(string accountId, MoneyMovementRequest request, CancellationToken ct = default) =>
        SendAsync<WalletSnapshot>(HttpMethod.Post, $"api/v1/admin/accounts/{Escape(accountId)}/deposits", request, ct, repeatable: true);

    public Task<WalletSnapshot> WithdrawAsync(string accountId, MoneyMovementRequest request, CancellationToken ct = default) =>
        SendAsync<WalletSnapshot>(HttpMethod.Post, $"api/v1/admin/accounts/{Escape(accountId)}/withdrawals", request, ct, repeatable: true);

    /// <summary>Reports a payment as the payment provider does: signed with the shared secret, no API key needed.</summary>
    public async Task<PaymentReceipt> NotifyPaymentAsync(string webhookSecret, PaymentNotification notification, TimeProvider? time = null, CancellationToken ct = default)
    {
        var body = JsonSerializer.Serialize(notification, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/payments/notifications") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(PaymentSignature.Header, PaymentSignature.Sign(webhookSecret, (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds(), body));
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<PaymentReceipt>(Json, ct))!;
    }

    public Task<WithdrawalView> RequestWithdrawalAsync(WithdrawalRequest request, CancellationToken ct = default) =>
        SendAsync<WithdrawalView>(HttpMethod.Post, "api/v1/wallet/withdrawals", request, ct, repeatable: true);

    public Task<List<PaymentRecord>> ListPaymentsAsync(CancellationToken ct = default) => GetAsync<List<PaymentRecord>>("api/v1/wallet/payments", ct);

    public Task<List<CashAdjustment>> ListAdjustmentsAsync(CancellationToken ct = default) => GetAsync<List<CashAdjustment>>("api/v1/wallet/adjustments", ct);

    public Task<List<WithdrawalView>> ListWithdrawalsAsync(CancellationToken ct = default) => GetAsync<List<WithdrawalView>>("api/v1/wallet/withdrawals", ct);

    public Task<List<WithdrawalView>> PendingWithdrawalsAsync(CancellationToken ct = default) => GetAsync<List<WithdrawalView>>("api/v1/admin/withdrawals", ct);

    /// <summary>An operator pays a pending withdrawal out (note: the payout reference) or rejects it (note: the reason).</summary>
    public Task<WithdrawalView> DecideWithdrawalAsync(string accountId, string requestId, bool pay, string note, CancellationToken ct = default) =>
        SendAsync<WithdrawalView>(HttpMethod.Post, $"api/v1/admin/accounts/{Escape(accountId)}/withdrawals/{Escape(requestId)}/{(pay ? "pay" : "reject")}",
            new WithdrawalDecisionRequest { Note = note }, ct, repeatable: true);

    /// <summary>Repeatable: suspending again keeps the account suspended (with this reason) and cancels what is open.</summary>
    public Task<AccountSuspension> SuspendAccountAsync(string accountId, string reason, CancellationToken ct = default) =>
        SendAsync<AccountSuspension>(HttpMethod.Post, $"api/v1/admin/accounts/{Escape(accountId)}/suspend", new SuspendRequest { Reason = reason }, ct, repeatable: true);

    public Task<AccountSuspension> ReinstateAccountAsync(string accountId, CancellationToken ct = default) =>
        SendAsync<AccountSuspension>(HttpMethod.Post, $"api/v1/admin/accounts/{Escape(accountId)}/reinstate", null, ct, repeatable: true);

    public Task<WalletSnapshot> GetAccountWalletAsync(string accountId, CancellationToken ct = default) =>
        GetAsync<WalletSnapshot>($"api/v1/admin/accounts/{Escape(accountId)}/wallet", ct);

    public Task<CatalogLoadSummary> LoadCatalogAsync(CancellationToken ct = default) => SendAsync<CatalogLoadSummary>(HttpMethod.Post, "api/v1/admin/catalog/load", null, ct, repeatable: true);

    public Task<AuditReport> AuditAsync(CancellationToken ct = default) => GetAsync<AuditReport>("api/v1/admin/audit", ct);

    public Task<ScheduledAuditStatus> ScheduledAuditAsync(CancellationToken ct = default) => GetAsync<ScheduledAuditStatus>("api/v1/admin/audit/scheduled", ct);

    public Task<CommissionReport> GetCommissionAsync(int days, int top, CancellationToken ct = default) =>
        GetAsync<CommissionReport>($"api/v1/admin/commission?days={days}&top={top}", ct);

    public Task<List<SiloInfo>> GetSilosAsync(CancellationToken ct = default) => GetAsync<List<SiloInfo>>("api/v1/admin/cluster/silos", ct);

    public Task<List<ActivationCount>> GetActivationsAsync(CancellationToken ct = default) => GetAsync<List<ActivationCount>>("api/v1/admin/cluster/activations", ct);

    public Task<RebalanceResult> RebalanceAsync(CancellationToken ct = default) => SendAsync<RebalanceResult>(HttpMethod.Post, "api/v1/admin/cluster/rebalance", null, ct);

    /// <summary>
    /// Replaces the caller's key with <paramref name="newToken"/> (made with <see cref="ApiKeyToken.Create"/>), revoking
    /// the one this client sends. Repeatable: after an answer lost to a restarting silo the new token is tried first; if
    /// it works the replacement took, and if not the old key still does and the request goes again.
    /// </summary>
    public Task<CreatedKey> RotateKeyAsync(string newToken, CancellationToken ct = default)
    {
        var sent = false;
        return Repeat(async () =>
        {
            if (sent && await CallerWithAsync(newToken, ct) is { } caller)
            {
                ApiKeyToken.TryParse(newToken, out var keyId, out _);
                return new CreatedKey(keyId, caller.AccountId, caller.Role ?? "", newToken);
            }

            sent = true;
            return await SendOnceAsync<CreatedKey>(HttpMethod.Post, "api/v1/me/key", new RotateKeyRequest { Token = newToken }, ct);
        }, ct);
    }

    /// <summary>Who <paramref name="token"/> belongs to, or null when the exchange does not take it.</summary>
    private async Task<Caller?> CallerWithAsync(string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            return null;
        }

        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<Caller>(Json, ct);
    }

    /// <summary>Repeatable when <see cref="CreateKeyRequest.Token"/> is given: the exchange takes the same token again as a replay.</summary>
    public Task<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken ct = default) =>
        SendAsync<CreatedKey>(HttpMethod.Post, "api/v1/admin/keys", request, ct, repeatable: request.Token is not null);

    public Task<List<KeyInfo>> ListKeysAsync(string? accountId = null, CancellationToken ct = default) =>
        GetAsync<List<KeyInfo>>(accountId is null ? "api/v1/admin/keys" : "api/v1/admin/keys?accountId=" + Uri.EscapeDataString(accountId), ct);

    public Task RevokeKeyAsync(string keyId, CancellationToken ct = default) => SendOnceAsync(HttpMethod.Delete, $"api/v1/admin/keys/{Escape(keyId)}", ct);

    /// <summary>The celebrities the caller follows, in the order it added them, with their quotes.</summary>
    public Task<List<CelebritySummary>> ListFavouritesAsync(CancellationToken ct = default) => GetAsync<List<CelebritySummary>>("api/v1/me/favourites", ct);

    /// <summary>Repeatable: following a celebrity already followed changes nothing.</summary>
    public Task FollowAsync(string celebrityId, CancellationToken ct = default) => SendRepeatableAsync(HttpMethod.Put, $"api/v1/me/favourites/{Escape(celebrityId)}", ct);

    /// <summary>Repeatable: unfollowing a celebrity not followed changes nothing.</summary>
    public Task UnfollowAsync(string celebrityId, CancellationToken ct = default) => SendRepeatableAsync(HttpMethod.Delete, $"api/v1/me/favourites/{Escape(celebrityId)}", ct);

    /// <summary>The caller's own account's keys, revoked ones included.</summary>
    public Task<List<KeyInfo>> ListMyKeysAsync(CancellationToken ct = default) => GetAsync<List<KeyInfo>>("api/v1/me/keys", ct);

    /// <summary>A read-only key for the caller's account under <paramref name="token"/>, made by the caller so that the request can be repeated.</summary>
    public Task<CreatedKey> CreateReadOnlyKeyAsync(string token, CancellationToken ct = default) =>
        SendAsync<CreatedKey>(HttpMethod.Post, "api/v1/me/keys", new RotateKeyRequest { Token = token }, ct, repeatable: true);

    public Task RevokeMyKeyAsync(string keyId, CancellationToken ct = default) => SendOnceAsync(HttpMethod.Delete, $"api/v1/me/keys/{Escape(keyId)}", ct);

    /// <summary>
    /// The live feed: a "ready" event once subscribed, then trades and top-of-book updates, optionally only for some
    /// celebrities, until cancelled.
    /// </summary>
    public IAsyncEnumerable<FeedEvent> WatchAsync(IEnumerable<string> celebrities, CancellationToken ct = default)
    {
        var query = string.Join("&", celebrities.Select(id => "celebrity=" + Uri.EscapeDataString(id)));
        return ReadFeedAsync("api/v1/feed" + (query.Length > 0 ? "?" + query : ""), Parse<FeedEvent>("ready", "trade", "quote"), ct);
    }

    /// <summary>
    /// The caller's own feed: a "ready" event once watching, then each change of its orders, its trades and its
    /// balances, until cancelled or the key is revoked. Best effort: read the wallet after "ready" for the full picture.
    /// </summary>
    public IAsyncEnumerable<AccountFeedEvent> WatchAccountAsync(CancellationToken ct = default) =>
        ReadFeedAsync("api/v1/me/feed", Parse<AccountFeedEvent>("ready", "order", "trade", "balance"), ct);

    /// <summary>A celebrity's slot changes (for the celebrity, its agent or an operator): a "ready" change without a slot, then one per change.</summary>
    public IAsyncEnumerable<SlotChange> WatchSlotsAsync(string celebrityId, CancellationToken ct = default) =>
        ReadFeedAsync($"api/v1/celebrities/{Escape(celebrityId)}/slots/feed", (kind, data) => kind switch
        {
            "ready" => new SlotChange(kind, null),
            "slot" => new SlotChange(kind, JsonSerializer.Deserialize<SlotView>(data, Json)),
            _ => null,
        }, ct);

    /// <summary>
    /// One chat as it happens (for its fan or the celebrity's side): a "ready" event with the chat and its messages, then
    /// one per message and a "chat" event when it ends, after which the exchange closes the feed.
    /// </summary>
    public IAsyncEnumerable<ChatFeedEvent> WatchChatAsync(string celebrityId, string chatId, CancellationToken ct = default) =>
        ReadFeedAsync($"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions/{Escape(chatId)}/feed",
            Parse<ChatFeedEvent>(ChatFeedEvent.Ready, ChatFeedEvent.NewMessage, ChatFeedEvent.Changed), ct);

    /// <summary>Every chat of a celebrity as it changes (for its side): a "ready" event, then one per message (a chat opened comes with its first) and per end.</summary>
    public IAsyncEnumerable<ChatFeedEvent> WatchChatsAsync(string celebrityId, CancellationToken ct = default) =>
        ReadFeedAsync($"api/v1/celebrities/{Escape(celebrityId)}/chat-sessions/feed",
            Parse<ChatFeedEvent>(ChatFeedEvent.Ready, ChatFeedEvent.NewMessage, ChatFeedEvent.Changed), ct);

    /// <summary>The slots the caller (a fan) has booked, as they change: a "ready" change without a slot, then one per change.</summary>
    public IAsyncEnumerable<SlotChange> WatchBookingsAsync(CancellationToken ct = default) =>
        ReadFeedAsync("api/v1/bookings/feed", (kind, data) => kind switch
        {
            "ready" => new SlotChange(kind, null),
            "slot" => new SlotChange(kind, JsonSerializer.Deserialize<SlotView>(data, Json)),
            _ => null,
        }, ct);

    // Kinds a newer server adds are skipped rather than misread.
    private static Func<string, string, T?> Parse<T>(params string[] kinds) where T : class =>
        (kind, data) => kinds.Contains(kind) ? JsonSerializer.Deserialize<T>(data, Json) : null;

    private async IAsyncEnumerable<T> ReadFeedAsync<T>(string path, Func<string, string, T?> parse, [EnumeratorCancellation] CancellationToken ct) where T : class
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
        {
            if (parse(item.EventType, item.Data) is { } feedEvent)
            {
                yield return feedEvent;
            }
        }
    }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct, repeatable: true);

    /// <param name="repeatable">A read, or a write the exchange acts on once however often it arrives (it carries an id).</param>
    private Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, bool repeatable = false) =>
        repeatable ? Repeat(() => SendOnceAsync<T>(method, path, body, ct), ct) : SendOnceAsync<T>(method, path, body, ct);

    private Task<T> Repeat<T>(Func<Task<T>> request, CancellationToken ct) => retry is not null ? retry.RunAsync(request, ct) : request();

    /// <summary>A body-less request (see <see cref="SendOnceAsync(HttpMethod, string, CancellationToken)"/>) whose effect is the same however often it arrives.</summary>
    private Task SendRepeatableAsync(HttpMethod method, string path, CancellationToken ct) => Repeat(async () =>
    {
        await SendOnceAsync(method, path, ct);
        return true;
    }, ct);

    /// <summary>A request without a body whose answer says only whether it was done (204).</summary>
    private async Task SendOnceAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = "http_" + (int)response.StatusCode;
        var detail = response.ReasonPhrase ?? "";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            code = problem.TryGetProperty("code", out var c) ? c.GetString() ?? code : code;
            detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? detail : detail;
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page, say): the status is all there is to report.
        }

        throw new ExchangeApiException(response.StatusCode, code, detail);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
