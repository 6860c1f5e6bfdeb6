using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Listing;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class CelebrityGrain(
    [PersistentState("celebrity", StorageNames.Exchange)] IPersistentState<CelebrityState> celebrity,
    IExchangeDirectory directory,
    Microsoft.Extensions.Options.IOptions<ExchangeOptions> options,
    ExchangeClock time) : MigratableGrain, ICelebrityGrain, IRemindable
{
    /// <summary>Set while a recorded delisting may not have reached the book yet; it retries until the book closes.</summary>
    private const string FinishDelistingReminder = "finish-delisting";

    private CelebrityState State => celebrity.State;

    private string CelebrityId => this.GetPrimaryKeyString();

    private string PayoutAccountId => AccountIds.Payout(string.IsNullOrEmpty(State.AgentId) ? CelebrityId : State.AgentId);

    public async Task<ExchangeError?> List(CelebrityListing listing)
    {
        if (State.IsListed)
        {
            return new ExchangeError(ErrorCodes.AlreadyListed, $"'{CelebrityId}' is already listed.");
        }

        if (string.IsNullOrWhiteSpace(listing.DisplayName) || listing.DisplayName.Length > 100 || !CelebrityCategories.IsKnown(listing.Category)
            || listing.Followers < 0 || listing.AverageViewsPerPost < 0)
        {
            return new ExchangeError(ErrorCodes.InvalidRequest, $"A display name of up to 100 characters, one of the categories {CelebrityCategories.Listed} and non-negative audience figures are required.");
        }

        if (Rules.Refusal(new AudienceStats(listing.Followers, listing.AverageViewsPerPost)) is { } refusal)
        {
            return new ExchangeError(ErrorCodes.ListingRefused, $"The platform does not list '{CelebrityId}': {refusal}");
        }

        State.Followers = listing.Followers;
        State.AverageViewsPerPost = listing.AverageViewsPerPost;

        State.IsListed = true;
        State.DisplayName = listing.DisplayName.Trim();
        State.Category = listing.Category;
        State.AgentId = listing.AgentId?.Trim() ?? "";
        await directory.RegisterCelebrityAsync(CelebrityId);
        await celebrity.WriteStateAsync();
        return null;
    }

    public Task<CelebrityProfile?> GetProfile() => Task.FromResult(Profile());

    public Task<CelebrityAuditTotals> GetAuditTotals() => Task.FromResult(new CelebrityAuditTotals(
        State.IssuedSeconds, State.RedeemedSeconds, State.IssuedSecondsCounted, State.RedeemedSecondsCounted, State.IssuanceCostCountedFen));

    public async Task<CelebrityProfile?> UpdateAudience(long followers, long averageViewsPerPost)
    {
        if (!State.IsListed || followers < 0 || averageViewsPerPost < 0)
        {
            return null;
        }

        State.Followers = followers;
        State.AverageViewsPerPost = averageViewsPerPost;
        State.FlagReason = Rules.Refusal(new AudienceStats(followers, averageViewsPerPost));
        await celebrity.WriteStateAsync();
        return Profile();
    }

    private ListingRules Rules => new(options.Value.ListingMinimumFollowers, options.Value.ListingMinimumAverageViews);

    private CelebrityProfile? Profile() => State.IsListed
        ? new CelebrityProfile(CelebrityId, true, State.DisplayName, State.Category, State.AgentId, State.IssuedSeconds, State.RedeemedSeconds, PayoutAccountId,
            State.Followers, State.AverageViewsPerPost, State.FlagReason is not null, State.FlagReason, State.DelistReason)
        : null;

    public async Task<DelistResult?> Delist(string reason)
    {
        if (!State.IsListed)
        {
            return null;
        }

        // Recorded here first, so no issuance can open or feed the book while its orders are being cancelled; the
        // reminder finishes the job if the book is not reached now, even after this silo dies.
        var retry = await this.RegisterOrUpdateReminder(FinishDelistingReminder, options.Value.DelistingRetryPeriod, options.Value.DelistingRetryPeriod);
        if (State.DelistReason is null)
        {
            State.DelistReason = string.IsNullOrWhiteSpace(reason) ? "delisted by an operator" : reason.Trim();
            await celebrity.WriteStateAsync();
        }

        var cancelled = await GrainFactory.ByKey<IOrderBookGrain>(CelebrityId).Delist(State.DelistReason);
        await this.UnregisterReminder(retry);
        return new DelistResult(Profile()!, cancelled);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != FinishDelistingReminder)
        {
            return;
        }

        // Relisted meanwhile: nothing left to finish.
        if (State.DelistReason is { } reason)
        {
            await GrainFactory.ByKey<IOrderBookGrain>(CelebrityId).Delist(reason);
        }

        if (await this.GetReminder(FinishDelistingReminder) is { } retry)
        {
            await this.UnregisterReminder(retry);
        }
    }

    public async Task<CelebrityProfile?> Relist()
    {
        if (!State.IsListed)
        {
            return null;
        }

        if (State.DelistReason is not null)
        {
            // The book first: a crash in between leaves a book that trades while issuance waits for the repeat, never
            // an issuance whose offer the closed book would refuse.
            await GrainFactory.ByKey<IOrderBookGrain>(CelebrityId).Relist();
            State.DelistReason = null;
            await celebrity.WriteStateAsync();
        }

        return Profile();
    }

    public async Task<IssuanceResult> IssueTime(string issuanceId, long seconds, long priceFen)
    {
        IssuanceResult Refuse(string code, string message) => new(issuanceId, false, false, seconds, priceFen, 0, null, new ExchangeError(code, message));

        if (string.IsNullOrWhiteSpace(issuanceId) || issuanceId.Length > 128)
        {
            return Refuse(ErrorCodes.InvalidRequest, "An issuance id of 1 to 128 characters is required.");
        }

        if (State.Issuances.TryGetValue(issuanceId, out var known))
        {
            if (known.Seconds != seconds || known.PriceFen != priceFen)
            {
                // Another issuance under a used id: answering it as a replay would tell the operator that time was bought
                // on terms nobody agreed to. One begun under that id is still owed, so it is finished first.
                if (known.Status == IssuanceStatus.Pending)
                {
                    await CompleteAsync(issuanceId, known);
                }

                return Refuse(ErrorCodes.DuplicateRequest,
                    $"Issuance id '{issuanceId}' was already used for {known.Seconds} s at {new Cash(known.PriceFen)} ({known.PriceFen} fen) per second.");
            }

            if (known.Status != IssuanceStatus.Pending)
            {
                return ToResult(issuanceId, known, wasReplay: true);
            }
        }

        if (!State.IsListed)
        {
            return Refuse(ErrorCodes.UnknownCelebrity, $"'{CelebrityId}' is not listed.");
        }

        if (State.DelistReason is { } delisted)
        {
            return Refuse(ErrorCodes.CelebrityDelisted, $"'{CelebrityId}' is delisted and gets no new issuance: {delisted}");
        }

        if (State.FlagReason is { } flagged)
        {
            return Refuse(ErrorCodes.CelebrityFlagged, $"'{CelebrityId}' is flagged for review and gets no new issuance: {flagged}");
        }

        if (seconds <= 0)
        {
            return Refuse(ErrorCodes.InvalidQuantity, "Issued seconds must be positive.");
        }

        if (priceFen <= 0)
        {
            return Refuse(ErrorCodes.InvalidPrice, "The agreed price must be a positive number of fen per second.");
        }

        var cost = (Int128)seconds * priceFen;
        if (cost > long.MaxValue)
        {
            return Refuse(ErrorCodes.NotionalTooLarge, "Seconds x price overflows.");
        }

        if (known is null)
        {
            known = new IssuanceState { Seconds = seconds, PriceFen = priceFen, CostFen = (long)cost, Status = IssuanceStatus.Pending, Counted = true };
            State.Issuances[issuanceId] = known;
            await celebrity.WriteStateAsync();
        }

        await CompleteAsync(issuanceId, known);
        return ToResult(issuanceId, known, wasReplay: false);
    }

    public async Task RecordRedemption(string redemptionId, long seconds, bool counted)
    {
        if (seconds <= 0 || State.Redemptions.Contains(redemptionId) || State.RecentRedemptions.ContainsKey(redemptionId))
        {
            return;
        }

        var now = time.UtcNow;
        foreach (var undated in State.Redemptions)
        {
            State.RecentRedemptions.TryAdd(undated, now);
        }

        State.Redemptions.Clear();
        foreach (var forgotten in State.RecentRedemptions.Where(pair => now - pair.Value > options.Value.RedemptionIdMemory).Select(pair => pair.Key).ToList())
        {
            State.RecentRedemptions.Remove(forgotten);
        }

        State.RecentRedemptions[redemptionId] = now;

        State.RedeemedSeconds = checked(State.RedeemedSeconds + seconds);
        State.RedeemedSecondsCounted = checked(State.RedeemedSecondsCounted + (counted ? seconds : 0));
        await celebrity.WriteStateAsync();
    }

    public async Task<AgentChange?> ChangeAgent(string agentId)
    {
        if (!State.IsListed)
        {
            return null;
        }

        var previous = State.AgentId;
        if (agentId != previous)
        {
            // Completing pays the payout account of the agent of the moment, so this must happen before the change.
            await CompletePendingIssuances();
            State.AgentId = agentId;
            await celebrity.WriteStateAsync();
        }

        return new AgentChange(Profile()!, previous);
    }

    public async Task<int> CompletePendingIssuances()
    {
        foreach (var (issuanceId, pending) in State.Issuances.Where(pair => pair.Value.Status == IssuanceStatus.Pending).ToList())
        {
            await CompleteAsync(issuanceId, pending);
        }

        return State.Issuances.Values.Count(issuance => issuance.Status == IssuanceStatus.Pending);
    }

    /// <summary>
    /// Each leg is idempotent per issuance id, so a crash anywhere is finished by running this again; the issued total
    /// moves in the same write that marks the issuance completed, so it is counted exactly once.
    /// </summary>
    private async Task CompleteAsync(string issuanceId, IssuanceState issuance)
    {
        var treasury = GrainFactory.ByKey<IWalletGrain>(AccountIds.Treasury);
        var paid = await treasury.ReceiveIssuance(issuanceId, CelebrityId, issuance.Seconds, issuance.CostFen, issuance.Counted);
        if (!paid.Succeeded)
        {
            issuance.Status = IssuanceStatus.Failed;
            issuance.FailureCode = paid.Error!.Code;
            issuance.FailureMessage = paid.Error.Message;
            await celebrity.WriteStateAsync();
            return;
        }

        await GrainFactory.ByKey<IWalletGrain>(PayoutAccountId).ReceivePayout(issuanceId, issuance.CostFen, issuance.Counted);
        issuance.Status = IssuanceStatus.Completed;
        State.IssuedSeconds = checked(State.IssuedSeconds + issuance.Seconds);
        if (issuance.Counted)
        {
            State.IssuedSecondsCounted = checked(State.IssuedSecondsCounted + issuance.Seconds);
            State.IssuanceCostCountedFen = checked(State.IssuanceCostCountedFen + issuance.CostFen);
        }
        await celebrity.WriteStateAsync();

        await GrainFactory.ByKey<IOrderBookGrain>(CelebrityId).Open(issuance.PriceFen);
        var offer = await treasury.PlaceOrder(new PlaceOrderCommand("issuance-" + issuanceId, CelebrityId, Side.Sell, OrderType.Limit, TimeInForce.GoodTillCancel, issuance.PriceFen, issuance.Seconds));
        issuance.OfferOrderId = offer.Order?.OrderId;
        if (offer.Error is { } error)
        {
            // The time is bought either way; an offer refused (say, outside today's band) can be placed again later.
            issuance.FailureCode = error.Code;
            issuance.FailureMessage = "Issued, but not offered: " + error.Message;
        }

        await celebrity.WriteStateAsync();
    }

    private static IssuanceResult ToResult(string issuanceId, IssuanceState issuance, bool wasReplay) =>
        new(issuanceId, issuance.Status == IssuanceStatus.Completed, wasReplay, issuance.Seconds, issuance.PriceFen, issuance.CostFen, issuance.OfferOrderId,
            issuance.FailureCode is null ? null : new ExchangeError(issuance.FailureCode, issuance.FailureMessage ?? ""));
}
