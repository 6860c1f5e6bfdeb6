using System.ComponentModel.DataAnnotations;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Silo.Api.Auth;
using Exchange.Abstractions.Http;
using Exchange.Grains.Storage;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>Operator-only actions. Every route here refuses fans and celebrities with 403.</summary>
public static class AdminEndpoints
{
    private const string MarketActionsLog = "Exchange.Silo.MarketActions";

    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin").WithTags("Operator").RequireAuthorization(ApiRole.Operator);

        group.MapPost("/celebrities", async Task<IResult> (ListCelebrityRequest request, IGrainFactory grains) =>
        {
            if (!ApiKeyIssuer.IsValidAccountId(request.CelebrityId))
            {
                return ProblemResults.BadRequest("Celebrity ids are 1-64 characters of a-z, 0-9, '.', '_' or '-'.");
            }

            if (request.AgentId is { Length: > 0 } agent && !ApiKeyIssuer.IsValidAccountId(agent))
            {
                return ProblemResults.BadRequest("Agent ids are 1-64 characters of a-z, 0-9, '.', '_' or '-'.");
            }

            var celebrity = grains.ByKey<ICelebrityGrain>(request.CelebrityId);
            var error = await celebrity.List(new CelebrityListing(request.DisplayName, request.Category, request.AgentId ?? "", request.Followers, request.AverageViewsPerPost));
            return error is null
                ? TypedResults.Created($"/api/v1/celebrities/{request.CelebrityId}", await celebrity.GetProfile())
                : ProblemResults.From(error);
        }).WithSummary("List a celebrity")
            .Produces<CelebrityProfile>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/celebrities", async Task<IResult> (string? status, IExchangeDirectory directory, IGrainFactory grains, CancellationToken ct) =>
        {
            Func<CelebrityProfile, bool>? wanted = status switch
            {
                null or "" => _ => true,
                "flagged" => profile => profile.IsFlagged,
                "delisted" => profile => profile.IsDelisted,
                _ => null,
            };
            if (wanted is null)
            {
                return ProblemResults.BadRequest("status is flagged, delisted, or left out for every listed celebrity.");
            }

            var profiles = new System.Collections.Concurrent.ConcurrentBag<CelebrityProfile>();
            await ForEveryCelebrityAsync(directory, async celebrityId =>
            {
                if (await grains.ByKey<ICelebrityGrain>(celebrityId).GetProfile() is { } profile && wanted(profile))
                {
                    profiles.Add(profile);
                }
            }, ct);
            return TypedResults.Ok(profiles.OrderBy(profile => profile.CelebrityId, StringComparer.Ordinal).ToList());
        }).WithSummary("Listed celebrities with what only operators see (audience, issued and redeemed seconds, flags, delistings); status=flagged or delisted narrows it")
            .Produces<List<CelebrityProfile>>();

        group.MapPost("/celebrities/{celebrityId}/issuances", async Task<IResult> (string celebrityId, IssueTimeRequest request, IGrainFactory grains) =>
        {
            var result = await grains.ByKey<ICelebrityGrain>(celebrityId).IssueTime(request.IssuanceId, request.Seconds, request.PriceFen);
            return result.Succeeded
                ? (result.WasReplay ? TypedResults.Ok(result) : TypedResults.Created($"/api/v1/celebrities/{celebrityId}", result))
                : ProblemResults.From(result.Error!);
        }).WithSummary("Primary market: buy time from the celebrity and offer it on the book (idempotent per issuanceId; the same id on other terms is refused: duplicate_request)")
            .Produces<IssuanceResult>(StatusCodes.Status201Created).Produces<IssuanceResult>()
            .ProducesDomainRefusals();

        group.MapPost("/celebrities/{celebrityId}/audience", async Task<IResult> (string celebrityId, AudienceRequest request, IGrainFactory grains) =>
            request.Followers < 0 || request.AverageViewsPerPost < 0
                ? ProblemResults.BadRequest("Followers and average views per post are counts: whole numbers, 0 or more.")
                : await grains.ByKey<ICelebrityGrain>(celebrityId).UpdateAudience(request.Followers, request.AverageViewsPerPost) is { } profile
                    ? TypedResults.Ok(profile)
                    : CelebritiesEndpoints.UnknownCelebrity(celebrityId))
            .WithSummary("Record new audience figures; below the listing rules the celebrity is flagged (no new issuance)")
            .Produces<CelebrityProfile>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/celebrities/{celebrityId}/halt", async Task<IResult> (string celebrityId, HaltRequest? request, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            if (HaltReasonTooLong(request) is { } tooLong)
            {
                return tooLong;
            }

            if (!await CelebritiesEndpoints.IsListedAsync(grains, celebrityId))
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            await grains.ByKey<IOrderBookGrain>(celebrityId).Halt(request?.Reason ?? "");
            var quote = await grains.ByKey<IOrderBookGrain>(celebrityId).GetQuote();
            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator halted {Celebrity}: {Reason}", celebrityId, quote.HaltReason);
            return TypedResults.Ok(quote);
        }).WithSummary("Halt trading in one celebrity (reason: up to 200 characters, shown wherever its quote is)")
            .Produces<MarketQuote>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/celebrities/{celebrityId}/resume", async Task<IResult> (string celebrityId, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            if (!await CelebritiesEndpoints.IsListedAsync(grains, celebrityId))
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            await grains.ByKey<IOrderBookGrain>(celebrityId).Resume();
            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator resumed {Celebrity}", celebrityId);
            return TypedResults.Ok(await grains.ByKey<IOrderBookGrain>(celebrityId).GetQuote());
        }).WithSummary("Resume trading after a halt")
            .Produces<MarketQuote>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/celebrities/{celebrityId}/delist", async Task<IResult> (string celebrityId, DelistRequest request, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 200)
            {
                return ProblemResults.BadRequest("A delisting needs a reason of 1 to 200 characters.");
            }

            if (!CelebritiesEndpoints.CouldBeCelebrityId(celebrityId) || await grains.ByKey<ICelebrityGrain>(celebrityId).Delist(request.Reason) is not { } result)
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator delisted {Celebrity} ({Orders} resting orders cancelled): {Reason}",
                celebrityId, result.CancelledOrders, result.Celebrity.DelistReason);
            return TypedResults.Ok(result);
        }).WithSummary("Delist a celebrity: every resting order is cancelled, no order or issuance is taken until relisted; fans keep their seconds and may still redeem them")
            .Produces<DelistResult>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/celebrities/{celebrityId}/agent", async Task<IResult> (string celebrityId, AgentRequest request, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            var agentId = request.AgentId?.Trim() ?? "";
            if (agentId.Length > 0 && !ApiKeyIssuer.IsValidAccountId(agentId))
            {
                return ProblemResults.BadRequest("Agent ids are 1-64 characters of a-z, 0-9, '.', '_' or '-'; empty for none.");
            }

            if (!CelebritiesEndpoints.CouldBeCelebrityId(celebrityId) || await grains.ByKey<ICelebrityGrain>(celebrityId).ChangeAgent(agentId) is not { } change)
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            // An offer the previous agent made would be paid to the new one if accepted; the new agent offers anew.
            var withdrawn = new List<TimeOfferView>();
            if (change.PreviousAgentId != agentId)
            {
                var desk = grains.ByKey<ITimeOfferDeskGrain>(ITimeOfferDeskGrain.Key);
                var previousAgentsOffers = change.PreviousAgentId.Length == 0 ? []
                    : (await desk.List(celebrityId, pendingOnly: true)).Where(offer => offer.OfferedBy == change.PreviousAgentId);
                foreach (var offer in previousAgentsOffers)
                {
                    if ((await desk.Withdraw(celebrityId, offer.OfferId)).Offer is { Status: TimeOfferView.Withdrawn } gone)
                    {
                        withdrawn.Add(gone);
                    }
                }

                loggers.CreateLogger(MarketActionsLog).LogWarning("An operator gave {Celebrity} the agent '{Agent}' in place of '{Previous}' ({Offers} offers of time withdrawn)",
                    celebrityId, agentId, change.PreviousAgentId, withdrawn.Count);
            }

            return TypedResults.Ok(new AgentChangeResponse(change.Celebrity, change.PreviousAgentId, withdrawn));
        }).WithSummary("Change who represents a celebrity (empty agentId: none): the new agent acts for it and is paid for time issued from now on")
            .WithDescription("The previous agent keeps what it was paid and loses the celebrity's slots, chats and offers at once; its offers of " +
                "time still waiting are withdrawn (the new agent offers anew), and its open feeds of the celebrity end within half a minute. " +
                "Repeating the change changes nothing.")
            .Produces<AgentChangeResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/celebrities/{celebrityId}/relist", async Task<IResult> (string celebrityId, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            if (!CelebritiesEndpoints.CouldBeCelebrityId(celebrityId) || await grains.ByKey<ICelebrityGrain>(celebrityId).Relist() is not { } profile)
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator relisted {Celebrity}", celebrityId);
            return TypedResults.Ok(profile);
        }).WithSummary("Undo a delisting: the book takes orders again (the cancelled orders stay cancelled) and time may be issued")
            .Produces<CelebrityProfile>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/market/halt", async Task<IResult> (HaltRequest? request, IExchangeDirectory directory, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            if (HaltReasonTooLong(request) is { } tooLong)
            {
                return tooLong;
            }

            var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "halted by an operator" : request.Reason;

            // Recorded first, so a book that opens while the halt goes round reads it (see OrderBookGrain.Open).
            await grains.ByKey<IMarketStatusGrain>(IMarketStatusGrain.Key).Halt(reason);
            var books = await ForEveryBookAsync(directory, grains, book => book.HaltMarket(reason));
            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator halted the whole exchange ({Books} books): {Reason}", books, reason);
            return TypedResults.Ok(new MarketHaltResult(books));
        }).WithSummary("Halt trading on the whole exchange (a circuit breaker; reason: up to 200 characters); each celebrity's own halts are kept apart")
            .Produces<MarketHaltResult>().ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/market", async (IGrainFactory grains) =>
            TypedResults.Ok(new MarketStatus(await grains.ByKey<IMarketStatusGrain>(IMarketStatusGrain.Key).GetHaltReason())))
            .WithSummary("Whether the whole exchange is halted, and why");

        group.MapPost("/market/resume", async (IExchangeDirectory directory, IGrainFactory grains, ILoggerFactory loggers) =>
        {
            await grains.ByKey<IMarketStatusGrain>(IMarketStatusGrain.Key).Resume();
            var books = await ForEveryBookAsync(directory, grains, book => book.ResumeMarket());
            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator resumed the whole exchange ({Books} books)", books);
            return TypedResults.Ok(new MarketHaltResult(books));
        }).WithSummary("Lift a halt of the whole exchange; a celebrity an operator halted on its own stays halted");

        group.MapPost("/accounts/{accountId}/deposits", (string accountId, MoneyMovementRequest request, IGrainFactory grains, TimeProvider time, AccountRegistry accounts) =>
            MoveMoneyAsync(accountId, request, +1, grains, time, accounts, wallet => wallet.Deposit(request.IdempotencyKey, request.AmountFen)))
            .WithSummary("Credit cash to an account that exists (404 unknown_account otherwise; idempotent per idempotencyKey); the owner sees it, with the note, among its adjustments")
            .Produces<WalletSnapshot>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/accounts/{accountId}/withdrawals", (string accountId, MoneyMovementRequest request, IGrainFactory grains, TimeProvider time, AccountRegistry accounts) =>
            MoveMoneyAsync(accountId, request, -1, grains, time, accounts, wallet => wallet.Withdraw(request.IdempotencyKey, request.AmountFen)))
            .WithSummary("Pay cash out of an account that exists (404 unknown_account otherwise; idempotent per idempotencyKey); the owner sees it, with the note, among its adjustments")
            .Produces<WalletSnapshot>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/accounts/{accountId}/suspend", async Task<IResult> (string accountId, SuspendRequest request, IGrainFactory grains, AccountRegistry accounts, ILoggerFactory loggers) =>
        {
            if (await RefusalForAccountAsync(accountId, accounts) is { } refusal)
            {
                return refusal;
            }

            var suspension = await grains.ByKey<IWalletGrain>(accountId).Suspend(request.Reason);
            if (suspension.Error is { } error)
            {
                return ProblemResults.From(error);
            }

            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator suspended {Account} ({Reason}); {Orders} open orders cancelled", accountId, suspension.SuspendedReason, suspension.OrdersCancelled);
            return TypedResults.Ok(suspension);
        })
            .WithSummary("Suspend an account (suspected fraud, a compliance review): its open orders are cancelled, and until reinstated it places no "
                + "orders and takes nothing out (403 account_suspended); it still receives what settles and may cancel")
            .Produces<AccountSuspension>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/accounts/{accountId}/reinstate", async Task<IResult> (string accountId, IGrainFactory grains, AccountRegistry accounts, ILoggerFactory loggers) =>
        {
            if (await RefusalForAccountAsync(accountId, accounts) is { } refusal)
            {
                return refusal;
            }

            var standing = await grains.ByKey<IWalletGrain>(accountId).Reinstate();
            loggers.CreateLogger(MarketActionsLog).LogWarning("An operator reinstated {Account}", accountId);
            return TypedResults.Ok(standing);
        })
            .WithSummary("Lift an account's suspension (harmless if it is not suspended)")
            .Produces<AccountSuspension>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/withdrawals", async (IGrainFactory grains) =>
            TypedResults.Ok(await grains.ByKey<IWithdrawalDeskGrain>(IWithdrawalDeskGrain.Key).GetPending()))
            .WithSummary("Withdrawals waiting to be paid out, fans' and payout accounts', oldest first");

        group.MapPost("/accounts/{accountId}/withdrawals/{requestId}/pay", (string accountId, string requestId, WithdrawalDecisionRequest request, IGrainFactory grains) =>
            DecideWithdrawalAsync(accountId, requestId, request, paid: true, grains))
            .WithSummary("Record that a pending withdrawal was paid out (note: the payout reference): the held cash leaves the exchange")
            .Produces<WithdrawalView>().ProducesDomainRefusals();

        group.MapPost("/accounts/{accountId}/withdrawals/{requestId}/reject", (string accountId, string requestId, WithdrawalDecisionRequest request, IGrainFactory grains) =>
            DecideWithdrawalAsync(accountId, requestId, request, paid: false, grains))
            .WithSummary("Reject a pending withdrawal (note: the reason, which the account's owner sees): the held cash returns to available")
            .Produces<WithdrawalView>().ProducesDomainRefusals();

        group.MapGet("/accounts/{accountId}/wallet", async Task<IResult> (string accountId, IGrainFactory grains, AccountRegistry accounts) =>
            await RefusalForAccountAsync(accountId, accounts) ?? TypedResults.Ok(await grains.ByKey<IWalletGrain>(accountId).GetSnapshot()))
            .WithSummary("Any account's balances (404 unknown_account for an account that has neither a key nor ever held anything)")
            .Produces<WalletSnapshot>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/catalog/load", async (Exchange.Grains.Hosting.CatalogLoader loader, CancellationToken ct) =>
            TypedResults.Ok(await loader.LoadAsync(Exchange.Domain.Listing.SeedCatalog.Entries, ct)))
            .WithSummary("List the ~500 fictional celebrities of the seed catalog and issue their time (idempotent)");

        group.MapGet("/commission", async ([Range(1, 366)] int? days, [Range(1, 1000)] int? top, IGrainFactory grains) =>
        {
            var totals = await grains.ByKey<ICommissionGrain>(ICommissionGrain.Key).GetTotals();
            return TypedResults.Ok(new CommissionReport(totals.TotalFen, totals.TradeCount,
                totals.ByDayFen.OrderByDescending(day => day.Key).Take(days ?? 30).Select(day => new CommissionOnDay(day.Key, day.Value)).ToList(),
                totals.ByCelebrityFen.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top ?? 20)
                    .Select(c => new CommissionFromCelebrity(c.Key, c.Value)).ToList()));
        }).WithSummary("The platform's commission: total, per trading day (newest first) and the celebrities that earned the most");

        group.MapGet("/audit", async (IGrainFactory grains) => TypedResults.Ok(await grains.ByKey<IOperatorGrain>("audit").RunAudit()))
            .WithSummary("Check that no cash or seconds were created or lost");

        group.MapGet("/audit/scheduled", async (IGrainFactory grains) => TypedResults.Ok(await grains.ByKey<IScheduledAuditGrain>(IScheduledAuditGrain.Key).GetStatus()))
            .WithSummary("How often the exchange audits itself (Exchange:AuditInterval) and what its latest own audit found");

        group.MapPost("/keys", async Task<IResult> (CreateKeyRequest request, ApiKeyIssuer issuer) =>
        {
            if (ApiKeyIssuer.Validate(request.AccountId, request.Role) is { } problem)
            {
                return ProblemResults.BadRequest(problem);
            }

            var role = ApiRole.Stored(request.Role, request.ReadOnly);
            if (request.Token is { } chosen)
            {
                return await ChosenKeys.AdoptAsync(issuer, request.AccountId, role, chosen, keyId => $"/api/v1/admin/keys/{keyId}");
            }

            var (key, token) = await issuer.IssueAsync(request.AccountId, role);
            return TypedResults.Created($"/api/v1/admin/keys/{key.KeyId}", new CreatedKey(key.KeyId, key.AccountId, key.AccessRole, token, key.ReadOnly));
        }).WithSummary("Create an API key; its token is returned only in this response")
            .WithDescription("With a token the operator's client made (cx_, 16 lowercase hex digits, _, 43 base64url characters from a secure "
                + "random source), the request can be repeated after a lost answer: the same token for the same account and role again "
                + "answers 200 with the key; 409 duplicate_request when another key has its id. readOnly: true makes a key that may only "
                + "read (403 read_only_key for anything else).")
            .Produces<CreatedKey>(StatusCodes.Status201Created).Produces<CreatedKey>().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/keys", async (string? accountId, IApiKeyStore keys) =>
            TypedResults.Ok((await keys.ListAsync(accountId)).Select(AccountEndpoints.InfoOf).ToList()))
            .WithSummary("All keys, or one account's (?accountId=), oldest first; never their secrets");

        group.MapDelete("/keys/{keyId}", async Task<IResult> (string keyId, IApiKeyStore keys, TimeProvider time) =>
            await keys.RevokeAsync(keyId, time.GetUtcNow())
                ? TypedResults.NoContent()
                : ProblemResults.NotFound("unknown_key", $"No active key '{keyId}'."))
            .WithSummary("Revoke a key at once")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    /// <summary>A halt's reason is shown on every quote and page of the books it stops, so it is kept to a line, as a delisting's is.</summary>
    private static IResult? HaltReasonTooLong(HaltRequest? request) =>
        request?.Reason is { Length: > 200 } ? ProblemResults.BadRequest("A halt's reason is at most 200 characters.") : null;

    /// <summary>
    /// Every listed celebrity's book. Not cancelled with the request: an operator whose connection drops must not leave
    /// half the market halted.
    /// </summary>
    private static Task<int> ForEveryBookAsync(IExchangeDirectory directory, IGrainFactory grains, Func<IOrderBookGrain, Task> action) =>
        ForEveryCelebrityAsync(directory, celebrityId => action(grains.ByKey<IOrderBookGrain>(celebrityId)), CancellationToken.None);

    /// <summary>Runs an action for every listed celebrity, a few dozen at a time (hundreds are listed); returns how many.</summary>
    private static async Task<int> ForEveryCelebrityAsync(IExchangeDirectory directory, Func<string, Task> action, CancellationToken cancellationToken)
    {
        var celebrities = await directory.ListCelebritiesAsync(cancellationToken);
        await Parallel.ForEachAsync(celebrities, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (celebrityId, _) => await action(celebrityId));
        return celebrities.Count;
    }

    private static bool IsAccountId(string accountId) =>
        ApiKeyIssuer.IsValidAccountId(accountId) || accountId == AccountIds.Treasury
        || (accountId.StartsWith(AccountIds.PayoutPrefix, StringComparison.Ordinal) && ApiKeyIssuer.IsValidAccountId(accountId[AccountIds.PayoutPrefix.Length..]));

    /// <summary>Null for an account that exists; else why an operator's request about it is refused.</summary>
    private static async Task<IResult?> RefusalForAccountAsync(string accountId, AccountRegistry accounts) =>
        !IsAccountId(accountId) ? ProblemResults.BadRequest("Invalid account id.") : await accounts.UnknownAsync(accountId);

    private static async Task<IResult> DecideWithdrawalAsync(string accountId, string requestId, WithdrawalDecisionRequest request, bool paid, IGrainFactory grains)
    {
        if (!IsAccountId(accountId) || requestId.Length > 64)
        {
            return ProblemResults.BadRequest("Invalid account or request id.");
        }

        if (string.IsNullOrWhiteSpace(request.Note) || request.Note.Length > 200)
        {
            return ProblemResults.BadRequest(paid ? "Give the payout reference (1 to 200 characters) as note." : "Give the reason (1 to 200 characters) as note; the fan sees it.");
        }

        var result = await grains.ByKey<IWalletGrain>(accountId).DecideWithdrawal(requestId, paid, request.Note.Trim());
        return result.Error is { } error ? ProblemResults.From(error) : TypedResults.Ok(result.Withdrawal);
    }

    private static async Task<IResult> MoveMoneyAsync(string accountId, MoneyMovementRequest request, int sign, IGrainFactory grains, TimeProvider time,
        AccountRegistry accounts, Func<IWalletGrain, Task<TransferResult>> move)
    {
        if (await RefusalForAccountAsync(accountId, accounts) is { } refusal)
        {
            return refusal;
        }

        if (request.Note is { Length: > 200 })
        {
            return ProblemResults.BadRequest("A note has at most 200 characters.");
        }

        if (TransferKeys.IsReserved(request.IdempotencyKey))
        {
            return ProblemResults.BadRequest($"Idempotency keys starting with {TransferKeys.ReservedList} are the exchange's own; choose another key.");
        }

        var wallet = grains.ByKey<IWalletGrain>(accountId);
        var result = await move(wallet);
        if (!result.Succeeded)
        {
            return ProblemResults.From(result.Error!);
        }

        // A replay lists it too: the first attempt may have moved the money and stopped before listing it.
        await grains.ByKey<IAccountAdjustmentsGrain>(accountId)
            .Record(new CashAdjustment(request.IdempotencyKey, sign * request.AmountFen, request.Note, time.GetUtcNow()));
        return TypedResults.Ok(await wallet.GetSnapshot());
    }
}
