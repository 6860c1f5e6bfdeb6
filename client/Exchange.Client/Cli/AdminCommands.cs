using System.CommandLine;
using Exchange.Abstractions.Http;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary><c>exchange admin ...</c>: operator commands (they need an operator key).</summary>
public static class AdminCommands
{
    public static Command Create(CliContext cli)
    {
        var admin = new Command("admin", "Operator commands");

        var listId = new Argument<string>("celebrity");
        var name = new Option<string>("--name") { Required = true, Description = "Display name" };
        var category = new Option<string>("--category") { Required = true, Description = "actor, athlete, musician, gamer, model or entrepreneur" };
        var agent = new Option<string?>("--agent") { Description = "Agent id (payouts go to payout:<agent>)" };
        var followers = new Option<long>("--followers") { Required = true, Description = "Followers (listing needs 5,000 or more)", CustomParser = WholeNumber.Parser(WholeNumber.Count) };
        var views = new Option<long>("--views") { Required = true, Description = "Average views per post over the last month (listing needs 10,000 or more)", CustomParser = WholeNumber.Parser(WholeNumber.Count) };
        var list = new Command("list-celebrity", "List a celebrity") { listId, name, category, agent, followers, views };
        list.SetAction(cli.Run(async (api, p, ct) =>
        {
            var profile = await api.ListCelebrityAsync(new ListCelebrityRequest { CelebrityId = p.GetValue(listId)!, DisplayName = p.GetValue(name)!, Category = p.GetValue(category)!, AgentId = p.GetValue(agent), Followers = p.GetValue(followers), AverageViewsPerPost = p.GetValue(views) }, ct);
            cli.Console.MarkupLineInterpolated($"listed [yellow]{profile.CelebrityId}[/] ({profile.Category}), payouts to {profile.PayoutAccountId}");
        }));
        admin.Subcommands.Add(list);

        var issueId = new Argument<string>("celebrity");
        var seconds = new Argument<long>("seconds") { CustomParser = WholeNumber.Parser(WholeNumber.Seconds) };
        var priceFen = new Argument<long>("price-fen") { Description = "Agreed price in fen per second", CustomParser = WholeNumber.Parser(WholeNumber.FenPerSecond) };
        var issuanceId = new Option<string?>("--issuance-id") { Description = "Idempotency id (default: a new one)" };
        var issue = new Command("issue", "Buy time from a celebrity and offer it on the book") { issueId, seconds, priceFen, issuanceId };
        issue.SetAction(cli.Run(async (api, p, ct) =>
        {
            var result = await api.IssueTimeAsync(p.GetValue(issueId)!, new IssueTimeRequest { IssuanceId = p.GetValue(issuanceId) ?? Guid.NewGuid().ToString("N"), Seconds = p.GetValue(seconds), PriceFen = p.GetValue(priceFen) }, ct);
            cli.Console.MarkupLineInterpolated($"issued {result.Seconds} s at {Display.Yuan(result.PriceFen)} CNY/s for {Display.Yuan(result.CostFen)} CNY; offer {result.OfferOrderId}");
        }));
        admin.Subcommands.Add(issue);

        admin.Subcommands.Add(MoneyCommand(cli, "deposit", "Credit cash to an account", (api, account, request, ct) => api.DepositAsync(account, request, ct)));
        admin.Subcommands.Add(MoneyCommand(cli, "withdraw", "Pay cash out of an account", (api, account, request, ct) => api.WithdrawAsync(account, request, ct)));

        var haltId = new Argument<string>("celebrity");
        var reason = new Option<string?>("--reason");
        var halt = new Command("halt", "Halt trading in a celebrity") { haltId, reason };
        halt.SetAction(cli.Run(async (api, p, ct) =>
        {
            await api.HaltAsync(p.GetValue(haltId)!, p.GetValue(reason), ct);
            cli.Console.MarkupLineInterpolated($"[red]halted[/] {p.GetValue(haltId)}");
        }));
        admin.Subcommands.Add(halt);

        var resumeId = new Argument<string>("celebrity");
        var resume = new Command("resume", "Resume trading after a halt") { resumeId };
        resume.SetAction(cli.Run(async (api, p, ct) =>
        {
            await api.ResumeAsync(p.GetValue(resumeId)!, ct);
            cli.Console.MarkupLineInterpolated($"[green]resumed[/] {p.GetValue(resumeId)}");
        }));
        admin.Subcommands.Add(resume);

        var flagged = new Option<bool>("--flagged") { Description = "Only those flagged for review (below the listing rules: no new issuance)" };
        var delistedOnly = new Option<bool>("--delisted") { Description = "Only delisted ones" };
        var profiles = new Command("celebrities", "Listed celebrities with their audience, seconds issued and redeemed, flags and delistings") { flagged, delistedOnly };
        profiles.Validators.Add(result =>
        {
            if (result.GetValue(flagged) && result.GetValue(delistedOnly))
            {
                result.AddError("Give --flagged or --delisted, not both.");
            }
        });
        profiles.SetAction(cli.Run(async (api, p, ct) =>
        {
            var status = p.GetValue(flagged) ? "flagged" : p.GetValue(delistedOnly) ? "delisted" : null;
            cli.Console.Write(Display.ProfilesTable(await api.ListCelebrityProfilesAsync(status, ct)));
        }));
        admin.Subcommands.Add(profiles);

        var audienceId = new Argument<string>("celebrity");
        var newFollowers = new Option<long>("--followers") { Required = true, Description = "Followers now", CustomParser = WholeNumber.Parser(WholeNumber.Count) };
        var newViews = new Option<long>("--views") { Required = true, Description = "Average views per post over the last month", CustomParser = WholeNumber.Parser(WholeNumber.Count) };
        var audience = new Command("audience", "Record a celebrity's audience now; below the listing rules it is flagged (no new issuance) until it recovers") { audienceId, newFollowers, newViews };
        audience.SetAction(cli.Run(async (api, p, ct) =>
        {
            var profile = await api.UpdateAudienceAsync(p.GetValue(audienceId)!, new AudienceRequest { Followers = p.GetValue(newFollowers), AverageViewsPerPost = p.GetValue(newViews) }, ct);
            if (profile.FlagReason is { } reason)
            {
                cli.Console.MarkupLineInterpolated($"{profile.CelebrityId}: [yellow]flagged[/] ({reason})");
            }
            else
            {
                cli.Console.MarkupLineInterpolated($"{profile.CelebrityId}: [green]meets the listing rules[/]");
            }
        }));
        admin.Subcommands.Add(audience);

        var delistId = new Argument<string>("celebrity");
        var delistReason = new Option<string>("--reason") { Required = true, Description = "Why (shown with the celebrity's quote from now on)" };
        var delist = new Command("delist", "Take a celebrity off the market until relisted: cancels every resting order; fans keep their seconds") { delistId, delistReason };
        delist.SetAction(cli.Run(async (api, p, ct) =>
        {
            var result = await api.DelistAsync(p.GetValue(delistId)!, p.GetValue(delistReason)!, ct);
            cli.Console.MarkupLineInterpolated($"[red]delisted[/] {result.Celebrity.CelebrityId} ({result.Celebrity.DelistReason}); resting orders cancelled: {result.CancelledOrders}");
        }));
        admin.Subcommands.Add(delist);

        var relistId = new Argument<string>("celebrity");
        var relist = new Command("relist", "Undo a delisting: the book takes orders again and time may be issued") { relistId };
        relist.SetAction(cli.Run(async (api, p, ct) =>
        {
            var profile = await api.RelistAsync(p.GetValue(relistId)!, ct);
            cli.Console.MarkupLineInterpolated($"[green]relisted[/] {profile.CelebrityId}");
        }));
        admin.Subcommands.Add(relist);

        var agentCelebrity = new Argument<string>("celebrity");
        var agentId = new Argument<string?>("agent") { Description = "The new agent's account id; left out: none, the celebrity acts for itself", Arity = ArgumentArity.ZeroOrOne };
        var setAgent = new Command("set-agent", "Change who represents a celebrity: the new agent acts for it and is paid for time issued from now on; " +
            "the previous agent's waiting offers of time are withdrawn") { agentCelebrity, agentId };
        setAgent.SetAction(cli.Run(async (api, p, ct) =>
        {
            var change = await api.ChangeAgentAsync(p.GetValue(agentCelebrity)!, p.GetValue(agentId), ct);
            var agent = change.Celebrity.AgentId is { Length: > 0 } now ? now : "(none)";
            var previous = change.PreviousAgentId is { Length: > 0 } before ? before : "(none)";
            cli.Console.MarkupLineInterpolated($"{change.Celebrity.CelebrityId}: agent {agent} (was {previous}); offers of time withdrawn: {change.WithdrawnOffers.Count}");
        }));
        admin.Subcommands.Add(setAgent);

        var loadCatalog = new Command("load-catalog", "List the ~500 fictional celebrities of the seed catalog and issue their time (safe to repeat)");
        loadCatalog.SetAction(cli.Run(async (api, _, ct) =>
        {
            var result = await api.LoadCatalogAsync(ct);
            cli.Console.MarkupLineInterpolated($"catalog: {result.Listed} listed, {result.AlreadyListed} already listed, {result.Refused} refused by the listing rules, {result.Issued} issued");
        }));
        admin.Subcommands.Add(loadCatalog);

        var latest = new Option<bool>("--latest") { Description = "Show the exchange's latest own audit (it audits itself every Exchange:AuditInterval) instead of running one" };
        var audit = new Command("audit", "Prove no cash or seconds were created or lost") { latest };
        audit.SetAction(cli.Run(async (api, p, ct) =>
        {
            Abstractions.Contracts.AuditReport report;
            if (p.GetValue(latest))
            {
                var status = await api.ScheduledAuditAsync(ct);
                var schedule = status.Every > TimeSpan.Zero ? $"the exchange audits itself every {status.Every}" : "the exchange does not audit itself (Exchange:AuditInterval is 0)";
                if (status.Last is null)
                {
                    cli.Console.WriteLine($"{schedule}; no audit of its own has finished yet");
                    return;
                }

                cli.Console.WriteLine($"{schedule}; the latest started {status.Last.StartedAt:u} and took {status.Last.Took.TotalSeconds:0.0} s");
                report = status.Last.Report;
            }
            else
            {
                report = await api.AuditAsync(ct);
            }

            // The verdict is markup; the figures are text (an interpolated verdict would be escaped and print its tags).
            var verdict = report.Passed ? "[green]PASSED[/]" : "[red]FAILED[/]";
            cli.Console.MarkupLine($"audit {verdict}: " + Markup.Escape(
                $"{report.AccountCount} accounts, {report.CelebrityCount} celebrities, {report.JournalTradeCount} trades, cash {Display.Yuan(report.TotalCashFen)} CNY = net deposits {Display.Yuan(report.NetDepositsFen)} CNY, commission {Display.Yuan(report.CommissionTotalFen)} CNY"));
            foreach (var violation in report.Violations)
            {
                cli.Console.MarkupLineInterpolated($"  [red]{violation}[/]");
            }

            if (!report.Passed)
            {
                throw new Api.ExchangeApiException(System.Net.HttpStatusCode.OK, "audit_failed", $"{report.Violations.Count} violation(s)");
            }
        }));
        admin.Subcommands.Add(audit);

        var keyAccount = new Argument<string>("account");
        var role = new Option<string>("--role") { Description = "fan, celebrity or operator", DefaultValueFactory = _ => "fan" };
        var readOnly = new Option<bool>("--read-only") { Description = "A key that may only read, for an app or dashboard that shows the account" };
        var createKey = new Command("create-key", "Create an API key (its token is shown once)") { keyAccount, role, readOnly };
        createKey.SetAction(cli.Run(async (api, p, ct) =>
        {
            // The token is made here, so the request can be repeated through a silo restart without making two keys.
            var key = await api.CreateKeyAsync(new CreateKeyRequest
            {
                AccountId = p.GetValue(keyAccount)!, Role = p.GetValue(role)!, ReadOnly = p.GetValue(readOnly), Token = ApiKeyToken.Create().Token,
            }, ct);
            cli.Console.MarkupLineInterpolated($"key {key.KeyId} for {key.AccountId} ({Display.KeyRole(key.Role, key.ReadOnly)}):");
            cli.Console.WriteLine(key.Token);
        }));
        admin.Subcommands.Add(createKey);

        var keyId = new Argument<string>("key-id");
        var revoke = new Command("revoke-key", "Revoke an API key at once") { keyId };
        revoke.SetAction(cli.Run(async (api, p, ct) =>
        {
            await api.RevokeKeyAsync(p.GetValue(keyId)!, ct);
            cli.Console.MarkupLineInterpolated($"revoked {p.GetValue(keyId)}");
        }));
        admin.Subcommands.Add(revoke);

        var keysOf = new Option<string?>("--account") { Description = "Only this account's keys" };
        var keys = new Command("keys", "List API keys (never their secrets)") { keysOf };
        keys.SetAction(cli.Run(async (api, p, ct) => cli.Console.Write(Display.KeysTable(await api.ListKeysAsync(p.GetValue(keysOf), ct)))));
        admin.Subcommands.Add(keys);

        var walletAccount = new Argument<string>("account");
        var wallet = new Command("wallet", "Show any account's wallet") { walletAccount };
        wallet.SetAction(cli.Run(async (api, p, ct) => cli.Console.Write(await TradingCommands.WalletWithPricesAsync(api, await api.GetAccountWalletAsync(p.GetValue(walletAccount)!, ct), ct))));
        admin.Subcommands.Add(wallet);

        var suspendAccount = new Argument<string>("account");
        var suspendReason = new Option<string>("--reason") { Required = true, Description = "Why (the account's owner reads it on every refusal)" };
        var suspend = new Command("suspend", "Suspend an account: its open orders are cancelled, and it places no orders and takes nothing out until reinstated")
            { suspendAccount, suspendReason };
        suspend.SetAction(cli.Run(async (api, p, ct) =>
        {
            var suspension = await api.SuspendAccountAsync(p.GetValue(suspendAccount)!, p.GetValue(suspendReason)!, ct);
            cli.Console.MarkupLineInterpolated($"{suspension.AccountId} suspended ({suspension.SuspendedReason}); {suspension.OrdersCancelled} open orders cancelled");
        }));
        admin.Subcommands.Add(suspend);

        var reinstateAccount = new Argument<string>("account");
        var reinstate = new Command("reinstate", "Lift an account's suspension") { reinstateAccount };
        reinstate.SetAction(cli.Run(async (api, p, ct) =>
        {
            var standing = await api.ReinstateAccountAsync(p.GetValue(reinstateAccount)!, ct);
            cli.Console.MarkupLineInterpolated($"{standing.AccountId} is not suspended");
        }));
        admin.Subcommands.Add(reinstate);

        admin.Subcommands.Add(CommissionCommand.Create(cli));
        foreach (var command in MarketHaltCommands.Create(cli).Concat(CashCommands.ForOperators(cli)).Concat(TimeOfferCommands.ForOperators(cli)).Concat(ClusterCommands.Create(cli)))
        {
            admin.Subcommands.Add(command);
        }

        return admin;
    }

    private static Command MoneyCommand(CliContext cli, string name, string description,
        Func<Api.ExchangeApiClient, string, MoneyMovementRequest, CancellationToken, Task<Abstractions.Contracts.WalletSnapshot>> move)
    {
        var account = new Argument<string>("account");
        var amount = new Argument<long>("amount-fen") { Description = "Amount in fen (100 = 1 CNY)", CustomParser = WholeNumber.Parser(WholeNumber.Fen) };
        var key = new Option<string?>("--idempotency-key") { Description = "Repeat with the same key to be sure it happens once" };
        var note = new Option<string?>("--note") { Description = "Why, for the account's owner, who sees it among their adjustments" };
        var command = new Command(name, description) { account, amount, key, note };
        command.SetAction(cli.Run(async (api, p, ct) =>
        {
            var request = new MoneyMovementRequest { IdempotencyKey = p.GetValue(key) ?? Guid.NewGuid().ToString("N"), AmountFen = p.GetValue(amount), Note = p.GetValue(note) };
            var wallet = await move(api, p.GetValue(account)!, request, ct);
            cli.Console.MarkupLineInterpolated($"{name} done: {wallet.AccountId} has {Display.Yuan(wallet.CashAvailableFen)} CNY available");
        }));
        return command;
    }
}
