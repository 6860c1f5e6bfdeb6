using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Exchange.Abstractions.Contracts;
using Exchange.Client.Api;
using Exchange.Client.Cli;
using Exchange.Cluster.Tests.Infrastructure;
using Spectre.Console;

namespace Exchange.Api.Tests;

/// <summary>The README's session, run through the real `exchange` command line against a real silo.</summary>
public class CommandLineTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_new_user_creates_a_fan_key_deposits_buys_and_sees_the_trade_on_the_live_tape()
    {
        var admin = await RunAsync(host.OperatorToken, "admin", "list-celebrity", "cli-star", "--name", "Cli Star", "--category", "gamer", "--agent", "cli-agent", "--followers", "20000", "--views", "15000");
        Assert.Contains("listed cli-star", admin);
        await RunAsync(host.OperatorToken, "admin", "deposit", "platform:treasury", "500000");
        Assert.Contains("issued 1000 s at 5.00 CNY/s", await RunAsync(host.OperatorToken, "admin", "issue", "cli-star", "1000", "500"));

        var keyOutput = await RunAsync(host.OperatorToken, "admin", "create-key", "cli-fan");
        var fanKey = TokenIn(keyOutput);
        Assert.Contains("deposit done: cli-fan has 1,000.00 CNY available",
            await RunAsync(host.OperatorToken, "admin", "deposit", "cli-fan", "100000", "--note", "Welcome credit"));
        Assert.Matches(@"\+1,000\.00\s*│\s*Welcome credit", await RunAsync(fanKey, "adjustments"));

        Assert.Contains("cli-star", await RunAsync(fanKey, "celebrities"));
        Assert.Contains("cli-star", await RunAsync(fanKey, "celebrities", "--category", "gamer"));
        var rules = await RunAsync(fanKey, "rules");
        Assert.Contains("3% of each trade, paid by the seller", rules);
        Assert.Contains("+/-10% of the reference price", rules);
        Assert.Contains("video call from 600 s", rules);
        Assert.DoesNotContain("cli-star", await RunAsync(fanKey, "celebrities", "--category", "actor"));
        Assert.DoesNotContain("cli-star", await RunAsync(fanKey, "celebrities", "--traded")); // nothing traded yet
        Assert.Contains("cli-star", await RunAsync(fanKey, "celebrities", "--search", "Cli St"));
        Assert.DoesNotContain("cli-star", await RunAsync(fanKey, "celebrities", "--search", "nobody-by-this-name"));
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tape = new ConsoleCapture();
        var watch = RunAsync(fanKey, tape, watching.Token, "watch", "cli-star", "--count", "1");
        await WaitForAsync(() => tape.Text.Contains("connected"), watching.Token);

        var bought = await RunAsync(fanKey, "buy", "cli-star", "12", "--price", "500", "--client-order-id", "first-buy");
        Assert.Contains("Filled: filled 12 of 12 s", bought);
        Assert.Contains("fill 12 s @ 5.00 CNY/s", bought);

        Assert.Equal(0, await watch);
        Assert.Contains("TRADE", tape.Text);
        Assert.Contains("cli-star 12 s @ 5.00 CNY/s", tape.Text);

        // The seconds are valued at the last trade, 12 s x 5.00, beside what they cost and the gain on it; the public
        // list the price comes from may lag by a second.
        var valued = new System.Text.RegularExpressions.Regex(@"cli-star \(s\)\s*│\s*12\s*│\s*0\s*│\s*0\s*│\s*60\.00\s*│\s*60\.00\s*│\s*\+0\.00");
        var wallet = await Eventually.ValueAsync(() => RunAsync(fanKey, "wallet"), valued.IsMatch);
        Assert.Matches(valued, wallet);
        Assert.Contains("940.00", wallet);
        var audit = await RunAsync(host.OperatorToken, "admin", "audit");
        Assert.Contains("audit PASSED: ", audit);
        Assert.DoesNotContain("[green]", audit);
    }

    [Fact]
    public async Task An_operator_lists_one_accounts_keys_and_cannot_deposit_into_an_account_that_does_not_exist()
    {
        await RunAsync(host.OperatorToken, "admin", "create-key", "cli-keyed-fan");
        await RunAsync(host.OperatorToken, "admin", "create-key", "cli-keyed-fan");

        var keys = await RunAsync(host.OperatorToken, "admin", "keys", "--account", "cli-keyed-fan");
        var typo = new ConsoleCapture();
        var typoExit = await RunAsync(host.OperatorToken, typo, CancellationToken.None, "admin", "deposit", "cli-keyed-fam", "100");

        Assert.Equal(2, keys.Split('\n').Count(line => line.Contains("cli-keyed-fan", StringComparison.Ordinal)));
        Assert.DoesNotContain("operator", keys);
        Assert.NotEqual(0, typoExit);
        Assert.Contains("unknown_account", typo.Text);
    }

    [Fact]
    public async Task Admin_audit_latest_says_how_often_the_exchange_audits_itself_and_that_none_has_finished_in_its_first_hour()
    {
        // Each silo hands the schedule over in the background as it starts.
        var latest = await Eventually.ValueAsync(() => RunAsync(host.OperatorToken, "admin", "audit", "--latest"),
            text => text.Contains("every 01:00:00", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.Contains("the exchange audits itself every 01:00:00; no audit of its own has finished yet", latest);
    }

    [Fact]
    public async Task The_tape_keeps_watching_when_its_silo_restarts()
    {
        await using var silo = await ApiHost.StartAsync();
        await silo.ListAndIssueAsync("cli-restart", 1_000, 300);
        var fanKey = await silo.CreateKeyAsync("cli-restart-fan");
        await silo.FundAsync("cli-restart-fan", 100_000);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tape = new ConsoleCapture();
        var watch = RunOnAsync(silo, fanKey, tape, watching.Token, "watch", "cli-restart", "--count", "2");
        await WaitForAsync(() => tape.Text.Contains("connected"), watching.Token);
        await RunOnAsync(silo, fanKey, "buy", "cli-restart", "1", "--market");
        await WaitForAsync(() => tape.Text.Contains("TRADE"), watching.Token);

        await silo.RestartAsync();
        await WaitForAsync(() => tape.Text.Contains("reconnected"), watching.Token);
        await RunOnAsync(silo, fanKey, "buy", "cli-restart", "2", "--market");

        Assert.Equal(0, await watch);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(tape.Text, "TRADE"));
        Assert.Contains("the exchange closed the feed; reconnecting", tape.Text);
    }

    [Fact]
    public async Task Commands_safe_to_repeat_ride_out_a_silo_restart_and_act_once_while_others_fail_at_once()
    {
        await using var silo = await ApiHost.StartAsync();
        await silo.ListAndIssueAsync("cli-retry", 1_000, 300);
        var fanKey = await silo.CreateKeyAsync("cli-retry-fan");
        var rotatingKey = await silo.CreateKeyAsync("cli-retry-rotator");
        var quitterKey = await silo.CreateKeyAsync("cli-retry-quitter");
        await silo.FundAsync("cli-retry-fan", 100_000);
        await silo.FundAsync("cli-retry-quitter", 10_000);
        Assert.Contains("Open", await RunOnAsync(silo, quitterKey, "buy", "cli-retry", "3", "--price", "275"));
        Assert.Contains("Open", await RunOnAsync(silo, quitterKey, "buy", "cli-retry", "4", "--price", "276"));
        Assert.Contains("Open", await RunOnAsync(silo, fanKey, "buy", "cli-retry", "5", "--price", "290"));
        await silo.ListAndIssueAsync("cli-retry-slots", 1_000, 10);
        await RunOnAsync(silo, fanKey, "buy", "cli-retry-slots", "620", "--market");
        await silo.SettleAsync();
        string StartIn(TimeSpan from) => DateTimeOffset.UtcNow.Add(from).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("published", await RunOnAsync(silo, silo.OperatorToken, "celebrity", "publish-slot", "cli-retry-slots", "booked", "--start", StartIn(TimeSpan.FromDays(3))));
        Assert.Contains("published", await RunOnAsync(silo, silo.OperatorToken, "celebrity", "publish-slot", "cli-retry-slots", "withdrawn", "--start", StartIn(TimeSpan.FromDays(4))));
        Assert.Contains("now Booked", await RunOnAsync(silo, fanKey, "book-slot", "cli-retry-slots", "booked"));
        Assert.Contains("5 s held", await RunOnAsync(silo, fanKey, "chat", "open", "cli-retry-slots", "5", "before the restart", "--chat-id", "to-end"));

        Assert.Contains("Open", await RunOnAsync(silo, fanKey, "buy", "cli-retry", "1", "--price", "280"));
        Assert.Contains("Open", await RunOnAsync(silo, fanKey, "buy", "cli-retry", "6", "--price", "278"));

        await silo.DisposeAsync();
        var reducing = RunOnAsync(silo, fanKey, "reduce", "cli-retry-fan:4", "2");
        var quitting = RunOnAsync(silo, quitterKey, "cancel-all");
        var repricing = RunOnAsync(silo, fanKey, "reprice", "cli-retry-fan:1", "295");
        var cancelling = RunOnAsync(silo, fanKey, "cancel", "cli-retry-fan:3");
        var cancellingBooking = RunOnAsync(silo, fanKey, "cancel-booking", "cli-retry-slots", "booked");
        var withdrawingSlot = RunOnAsync(silo, silo.OperatorToken, "celebrity", "cancel-slot", "cli-retry-slots", "withdrawn");
        var buying = RunOnAsync(silo, fanKey, "buy", "cli-retry", "2", "--market", "--client-order-id", "during-restart");
        var withdrawing = RunOnAsync(silo, fanKey, "withdraw", "1000", "--request-id", "during-restart");
        var reading = RunOnAsync(silo, silo.OperatorToken, "admin", "wallet", "cli-retry-fan");
        var rotating = RunOnAsync(silo, rotatingKey, "rotate-key");
        var creatingKey = RunOnAsync(silo, silo.OperatorToken, "admin", "create-key", "cli-retry-other");
        var following = RunOnAsync(silo, fanKey, "favourite", "cli-retry");
        var offering = RunOnAsync(silo, silo.OperatorToken, "celebrity", "offer-time", "cli-retry", "10", "--price", "280", "--offer-id", "during-restart");
        var chatting = RunOnAsync(silo, fanKey, "chat", "open", "cli-retry-slots", "7", "during the restart", "--chat-id", "during-restart");
        var endingChat = RunOnAsync(silo, fanKey, "chat", "end", "cli-retry-slots", "to-end");
        // A listing carries no id of its request: repeated after the first took effect, it would be refused as already
        // listed, so it is not repeated.
        var listingOutput = new ConsoleCapture();
        var listingExit = await RunOnAsync(silo, silo.OperatorToken, listingOutput, CancellationToken.None,
            "admin", "list-celebrity", "cli-retry-late", "--name", "Late", "--category", "actor", "--followers", "20000", "--views", "15000");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await silo.StartAgainAsync();

        var repriced = await repricing;
        Assert.Contains("the exchange did not answer", repriced);
        Assert.Contains("cli-retry-fan:1 now at 2.95 CNY/s, Open", repriced);
        Assert.Contains("now Open", await cancellingBooking);
        Assert.Contains("cancelled cli-retry-fan:3", await cancelling);
        Assert.Contains("now Withdrawn", await withdrawingSlot);
        var bought = await buying;
        Assert.Contains("the exchange did not answer", bought);
        Assert.Contains("Filled: filled 2 of 2 s", bought);
        Assert.Contains("withdrawal during-restart of 10.00 CNY is pending", await withdrawing);
        Assert.Contains("cash (CNY)", await reading);
        Assert.Contains("cli-retry-fan:4 keeps 2 s to trade", await reducing);
        Assert.Contains("cancelled 2 orders", await quitting);
        var rotated = await rotating;
        Assert.Contains("the old one no longer works", rotated);
        Assert.Contains("wallet cli-retry-rotator", await RunOnAsync(silo, TokenIn(rotated), "wallet"));
        Assert.Contains("following cli-retry", await following);
        Assert.Contains("offer during-restart: 10 s at 2.80 CNY/s, pending", await offering);
        Assert.Contains("chat during-restart with cli-retry-slots: 7 s held", await chatting);
        Assert.Contains("chat to-end: ended (by the fan)", await endingChat);
        var createdKey = await creatingKey;
        Assert.Contains("the exchange did not answer", createdKey);
        Assert.Contains("wallet cli-retry-other", await RunOnAsync(silo, TokenIn(createdKey), "wallet"));
        using var op = silo.Operator();
        Assert.Single((await op.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/admin/keys?accountId=cli-retry-other")).EnumerateArray());
        Assert.NotEqual(0, listingExit);
        Assert.DoesNotContain("did not answer", listingOutput.Text);
        using var fan = silo.Client(fanKey);
        var orders = await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/orders?includeClosed=true");
        Assert.Single(orders.EnumerateArray(), o => o.GetProperty("clientOrderId").GetString() == "during-restart");
        var wallet = await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/wallet");
        Assert.Equal(1_000, wallet.GetProperty("cashHeldForWithdrawalsFen").GetInt64());
        // Held once for the chat opened during the restart, nothing for the one ended then: 620 s less those 7.
        var seconds = wallet.GetProperty("holdings").EnumerateArray().Single(h => h.GetProperty("celebrityId").GetString() == "cli-retry-slots");
        Assert.Equal((613L, 7L), (seconds.GetProperty("available").GetInt64(), seconds.GetProperty("heldForBookings").GetInt64()));
    }

    [Fact]
    public async Task An_operator_suspends_and_reinstates_an_account_from_the_command_line()
    {
        await ListAndIssueAsync("cli-suspended-star", "gamer", seconds: 100, priceFen: 100);
        var fanKey = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-suspect"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-suspect", "10000");
        await RunAsync(fanKey, "buy", "cli-suspended-star", "2", "--price", "95");

        var suspended = await RunAsync(host.OperatorToken, "admin", "suspend", "cli-suspect", "--reason", "card dispute");
        var wallet = await RunAsync(fanKey, "wallet");
        var refused = new ConsoleCapture();
        var refusedExit = await RunAsync(fanKey, refused, CancellationToken.None, "buy", "cli-suspended-star", "1", "--price", "95");
        var reinstated = await RunAsync(host.OperatorToken, "admin", "reinstate", "cli-suspect");

        Assert.Contains("cli-suspect suspended (card dispute); 1 open orders cancelled", suspended);
        Assert.Contains("wallet cli-suspect (SUSPENDED: card dispute)", wallet);
        Assert.NotEqual(0, refusedExit);
        Assert.Contains("account_suspended", refused.Text);
        Assert.Contains("cli-suspect is not suspended", reinstated);
        Assert.Contains("Open", await RunAsync(fanKey, "buy", "cli-suspended-star", "1", "--price", "95"));
    }

    [Fact]
    public async Task A_celebrity_offers_time_and_an_operator_accepts_one_offer_and_declines_another_from_the_command_line()
    {
        await ListAndIssueAsync("cli-offers", "athlete", seconds: 100, priceFen: 200);
        var celebrityKey = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-offers", "--role", "celebrity"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "platform:treasury", "60000");

        var offered = await RunAsync(celebrityKey, "celebrity", "offer-time", "cli-offers", "300", "--price", "200", "--note", "summer", "--offer-id", "summer");
        await RunAsync(celebrityKey, "celebrity", "offer-time", "cli-offers", "50", "--price", "210", "--offer-id", "autumn");
        var waiting = await RunAsync(host.OperatorToken, "admin", "offers");
        var accepted = await RunAsync(host.OperatorToken, "admin", "accept-offer", "cli-offers", "summer", "--note", "contract 9");
        var declined = await RunAsync(host.OperatorToken, "admin", "decline-offer", "cli-offers", "autumn", "--reason", "enough for now");
        var own = await RunAsync(celebrityKey, "celebrity", "offers", "cli-offers");
        var refused = new ConsoleCapture();
        var refusedExit = await RunAsync(celebrityKey, refused, CancellationToken.None, "celebrity", "withdraw-offer", "cli-offers", "summer");

        Assert.Contains("offer summer: 300 s at 2.00 CNY/s, pending (an operator decides)", offered);
        Assert.Contains("summer", waiting);
        Assert.Contains("autumn", waiting);
        Assert.Contains("offer summer accepted: 300 s of cli-offers bought for 600.00 CNY (issuance offer-summer)", accepted);
        Assert.Contains("offer autumn of cli-offers is declined", declined);
        Assert.Contains("contract 9", own);
        Assert.Contains("enough for now", own);
        Assert.NotEqual(0, refusedExit);
        Assert.Contains("offer_decided", refused.Text);
        var celebrity = await host.Client().GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/celebrities/cli-offers");
        Assert.Equal(400, celebrity.GetProperty("celebrity").GetProperty("issuedSeconds").GetInt64()); // 100 listed + the accepted 300

        // Bought at a price today's band (1.80-2.20) keeps off the book: the operator is told, not left to find out.
        await RunAsync(host.OperatorToken, "admin", "deposit", "platform:treasury", "3000");
        await RunAsync(celebrityKey, "celebrity", "offer-time", "cli-offers", "10", "--price", "300", "--offer-id", "dear");
        var dear = await RunAsync(host.OperatorToken, "admin", "accept-offer", "cli-offers", "dear");
        Assert.Contains("offer dear accepted", dear);
        Assert.Contains("price_outside_band: Issued, but not offered", dear);

        // Haggling: the operator (a key of its own; the class's shared one is near its rate limit) answers with other terms.
        var desk = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-offers-desk", "--role", "operator"));
        await RunAsync(desk, "admin", "deposit", "platform:treasury", "10000");
        await RunAsync(celebrityKey, "celebrity", "offer-time", "cli-offers", "100", "--price", "220", "--offer-id", "winter");
        Assert.Contains("offer winter of cli-offers countered: 50 s at 2.00 CNY/s, 100.00 CNY (its side accepts or withdraws)",
            await RunAsync(desk, "admin", "counter-offer", "cli-offers", "winter", "50", "--price", "200", "--note", "half, at the close"));
        Assert.Matches(@"winter\s.*countered\s.*50 s at 2\.00\s.*half, at the close", await RunAsync(celebrityKey, "celebrity", "offers", "cli-offers"));
        Assert.Contains("offer winter accepted on the counter-offer's terms: 50 s at 2.00 CNY/s, 100.00 CNY",
            await RunAsync(celebrityKey, "celebrity", "accept-counter", "cli-offers", "winter"));
    }

    [Fact]
    public async Task A_celebrity_publishes_a_slot_and_a_fan_books_and_cancels_it_from_the_command_line()
    {
        await ListAndIssueAsync("cli-slots", "model", seconds: 10000, priceFen: 10, followers: 9000, views: 12000);
        var celebrityKey = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-slots", "--role", "celebrity"));
        var fanKey = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-booker"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-booker", "10000");
        await RunAsync(fanKey, "buy", "cli-slots", "600", "--price", "10");

        var start = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("published call-1", await RunAsync(celebrityKey, "celebrity", "publish-slot", "cli-slots", "call-1", "--start", start, "--minutes", "15", "--details", "room-42"));
        Assert.Contains("payout:cli-slots: 1,000.00 CNY paid out", await RunAsync(celebrityKey, "celebrity", "payouts")); // no agent: paid itself, 10,000 s x 0.10
        Assert.Contains("withdrawal fee-money of 400.00 CNY is pending", await RunAsync(celebrityKey, "celebrity", "withdraw", "40000", "--request-id", "fee-money"));
        Assert.Contains("fee-money", await RunAsync(host.OperatorToken, "admin", "withdrawals"));
        Assert.Contains("600.00 CNY paid out and not yet withdrawn; 400.00 CNY asked for and on its way to you", await RunAsync(celebrityKey, "celebrity", "payouts"));
        Assert.Contains("withdrawal fee-money of payout:cli-slots (400.00 CNY) is paid", await RunAsync(host.OperatorToken, "admin", "pay-withdrawal", "payout:cli-slots", "fee-money", "--reference", "bank-77"));
        Assert.Contains("bank-77", await RunAsync(celebrityKey, "celebrity", "withdrawals"));
        Assert.Contains("payout:cli-slots: 600.00 CNY paid out", await RunAsync(celebrityKey, "celebrity", "payouts"));
        var beforeBooking = await RunAsync(fanKey, "slots", "cli-slots");
        Assert.Contains("call-1", beforeBooking);
        Assert.DoesNotContain("room-42", beforeBooking); // how to join is for the fan who books it
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var slotFeed = new ConsoleCapture();
        var watch = RunAsync(celebrityKey, slotFeed, watching.Token, "celebrity", "watch-slots", "cli-slots", "--count", "5");
        await WaitForAsync(() => slotFeed.Text.Contains("connected"), watching.Token);
        Assert.Contains("now Booked", await RunAsync(fanKey, "book-slot", "cli-slots", "call-1"));
        await WaitForAsync(() => slotFeed.Text.Contains("SLOT call-1 VideoCall"), watching.Token);
        await WaitForAsync(() => slotFeed.Text.Contains(": Booked by cli-booker"), watching.Token);
        await watching.CancelAsync();
        await watch;
        Assert.Contains("held", await RunAsync(fanKey, "bookings"));
        // The fan follows its booking and hears where to join when the celebrity says.
        using var followingBookings = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var bookingFeed = new ConsoleCapture();
        var watchingBookings = RunAsync(fanKey, bookingFeed, followingBookings.Token, "bookings", "--watch");
        await WaitForAsync(() => bookingFeed.Text.Contains("connected"), followingBookings.Token);
        Assert.Contains("joining details: room-43", await RunAsync(celebrityKey, "celebrity", "slot-details", "cli-slots", "call-1", "room-43"));
        await WaitForAsync(() => bookingFeed.Text.Contains("cli-slots call-1 VideoCall") && bookingFeed.Text.Contains("how to join: room-43"), followingBookings.Token);
        await followingBookings.CancelAsync();
        await watchingBookings;
        Assert.Contains("room-43", await RunAsync(fanKey, "slots", "cli-slots"));
        Assert.Contains("now Open", await RunAsync(fanKey, "cancel-booking", "cli-slots", "call-1"));
        // A text chat: the fan opens it, the celebrity answers (its side's name shown, brackets kept as typed), the fan ends it.
        // The celebrity's side follows all its chats meanwhile, as an agent keeps a terminal open to answer.
        using var answering = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var inbox = new ConsoleCapture();
        var watchingInbox = RunAsync(celebrityKey, inbox, answering.Token, "chat", "watch", "cli-slots");
        await WaitForAsync(() => inbox.Text.Contains("connected"), answering.Token);
        Assert.Contains("chat cli-chat with cli-slots: 300 s held, waiting for an answer until",
            await RunAsync(fanKey, "chat", "open", "cli-slots", "300", "Hello from the command line", "--chat-id", "cli-chat"));
        Assert.Contains("cli-booker", await RunAsync(celebrityKey, "chat", "list", "--celebrity", "cli-slots"));
        Assert.Contains("cli-chat", await RunAsync(celebrityKey, "chat", "list")); // what the celebrity has to answer, across its celebrities
        // The fan follows the chat in a terminal: the answer shows as it comes, and the watch ends with the chat.
        using var following = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var chatFeed = new ConsoleCapture();
        var watchingChat = RunAsync(fanKey, chatFeed, following.Token, "chat", "watch", "cli-slots", "cli-chat");
        await WaitForAsync(() => chatFeed.Text.Contains("cli-booker: Hello from the command line"), following.Token);
        var answered = await RunAsync(celebrityKey, "chat", "say", "cli-slots", "cli-chat", "Hi [there]!");
        await WaitForAsync(() => chatFeed.Text.Contains("cli-slots (for cli-slots): Hi [there]!") && chatFeed.Text.Contains("chat cli-chat: live since"), following.Token);
        Assert.Contains("cli-booker: Hello from the command line", answered);
        Assert.Contains("cli-slots (for cli-slots): Hi [there]!", answered);
        Assert.Contains("chat cli-chat: live since", answered);
        Assert.Matches(@"chat cli-chat: ended \(by the fan\) at .*; used \d+ of 300 s, the rest returned", await RunAsync(fanKey, "chat", "end", "cli-slots", "cli-chat"));
        Assert.Equal(0, await watchingChat);
        Assert.Contains("chat cli-chat: ended (by the fan)", chatFeed.Text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(chatFeed.Text, "Hello from the command line")); // each message once
        await WaitForAsync(() => inbox.Text.Contains("chat cli-chat: ended (by the fan)"), answering.Token);
        await answering.CancelAsync();
        await watchingInbox;
        Assert.Matches(@"cli-chat [\d-]+ [\d:]+ UTC cli-booker: Hello from the command line\s+chat cli-chat: opened by cli-booker; waiting for", inbox.Text);
        Assert.Matches(@"cli-chat [\d-]+ [\d:]+ UTC cli-slots \(for cli-slots\): Hi \[there\]!", inbox.Text);
        Assert.Contains("ended", await RunAsync(fanKey, "chat", "list"));
        Assert.Matches(@"cli-slots: answered 1 of its last 1 chats, half of them within \d+ s", await RunAsync(fanKey, "chat", "answers", "cli-slots"));
        // The celebrity's side can stop a fan chatting with it, and let it again.
        Assert.Contains("cli-booker blocked from chatting with cli-slots since",
            await RunAsync(celebrityKey, "chat", "block", "cli-slots", "cli-booker", "--reason", "too many messages"));
        Assert.Contains("too many messages", await RunAsync(celebrityKey, "chat", "blocked", "cli-slots"));
        Assert.Contains("until unblocked", await RunAsync(celebrityKey, "chat", "blocked", "cli-slots"));
        // Made a cooling-off block of a day instead.
        Assert.Matches(@"since [\d-]+ [\d:]+ UTC by cli-slots, until [\d-]+ [\d:]+ UTC",
            await RunAsync(celebrityKey, "chat", "block", "cli-slots", "cli-booker", "--hours", "24"));
        var refusedChat = new ConsoleCapture();
        Assert.NotEqual(0, await RunAsync(fanKey, refusedChat, CancellationToken.None, "chat", "open", "cli-slots", "10", "let me in"));
        Assert.Contains("chat_blocked", refusedChat.Text);
        Assert.Contains("cli-booker may open chats with cli-slots again", await RunAsync(celebrityKey, "chat", "unblock", "cli-slots", "cli-booker"));
        Assert.DoesNotContain("cli-booker", await RunAsync(celebrityKey, "chat", "blocked", "cli-slots"));

        var resting = System.Text.RegularExpressions.Regex.Match(await RunAsync(fanKey, "buy", "cli-slots", "5", "--price", "9"), @"order (\S+) Open").Groups[1].Value;
        Assert.Contains($"{resting} keeps 2 s to trade", await RunAsync(fanKey, "reduce", resting, "2"));
        await RunAsync(fanKey, "buy", "cli-slots", "3", "--price", "9");
        var repriced = await RunAsync(fanKey, "reprice", resting, "10"); // up to the treasury's offer: it trades at once
        Assert.Contains($"{resting} now at 0.10 CNY/s, Filled", repriced);
        Assert.Contains("filled 2 s at 0.10 CNY/s", repriced);
        Assert.Contains("cancelled 1 orders", await RunAsync(fanKey, "cancel-all", "--celebrity", "cli-slots"));
        Assert.Contains("cancelled 0 orders", await RunAsync(fanKey, "cancel-all"));
    }

    [Fact]
    public async Task An_operator_loads_the_catalog_and_simulates_a_market_through_the_api()
    {
        var loaded = await RunAsync(host.OperatorToken, "admin", "load-catalog");
        Assert.Matches(@"catalog: \d{3} listed, 0 already listed, \d+ refused", loaded);
        Assert.Contains("0 listed", await RunAsync(host.OperatorToken, "admin", "load-catalog"));

        var simulated = await RunAsync(host.OperatorToken, "simulate", "--rounds", "8", "--fans", "8", "--books", "5", "--pause-ms", "0", "--issue-time");

        Assert.Contains("simulation done", simulated);
        Assert.Matches(@"\d+ issuances on books without offers, \d+ pay-day top-ups", simulated);
        Assert.Matches(@"[1-9]\d* fills", simulated);
        Assert.Contains("PASSED", await RunAsync(host.OperatorToken, "admin", "audit"));
    }

    [Fact]
    public async Task An_operator_changes_a_celebritys_agent_from_the_command_line()
    {
        // An operator key of its own: the class's shared one is near its rate limit with the simulations.
        var op = await host.CreateKeyAsync("cli-agent-operator", "operator");
        await RunAsync(op, "admin", "list-celebrity", "cli-agent-star", "--name", "Cli Agent Star", "--category", "athlete", "--agent", "agent-cli-agent-star",
            "--followers", "20000", "--views", "15000");

        var moved = await RunAsync(op, "admin", "set-agent", "cli-agent-star", "cli-agency-two");
        var none = await RunAsync(op, "admin", "set-agent", "cli-agent-star");

        Assert.Contains("cli-agent-star: agent cli-agency-two (was agent-cli-agent-star); offers of time withdrawn: 0", moved);
        Assert.Contains("cli-agent-star: agent (none) (was cli-agency-two)", none);
    }

    [Fact]
    public async Task The_load_generator_reports_throughput_and_latency_and_ends_with_a_passing_audit()
    {
        var output = await RunAsync(host.OperatorToken, "load", "--fans", "20", "--books", "2", "--operations", "400", "--concurrency", "16", "--prefix", "cliload");

        var match = System.Text.RegularExpressions.Regex.Match(output, @"(\d+) operations in [\d.]+ s = (\d+) ops/s; (\d+) trades.*accepted (\d+), refused (\d+), failed (\d+); latency ms p50 ([\d.]+) p95 ([\d.]+) p99 ([\d.]+) max ([\d.]+); audit passed; generator process CPU ([\d.]+) ms per operation");
        Assert.True(match.Success, output);
        Assert.Equal("400", match.Groups[1].Value);
        Assert.True(int.Parse(match.Groups[3].Value) > 0, "no trades");
        Assert.Equal("0", match.Groups[6].Value);
        var (p50, p99, max) = (double.Parse(match.Groups[7].Value), double.Parse(match.Groups[9].Value), double.Parse(match.Groups[10].Value));
        Assert.True(p50 <= p99 && p99 <= max, output);
        Assert.True(double.Parse(match.Groups[11].Value) > 0, output);
    }

    [Fact]
    public async Task Piped_output_keeps_each_row_on_one_line()
    {
        const string longId = "cli-piped-celebrity-with-a-long-id";
        await RunAsync(host.OperatorToken, "admin", "list-celebrity", longId, "--name", "Piped Celebrity With A Long Name", "--category", "entrepreneur", "--followers", "20000", "--views", "15000");

        // The program itself, its output going to a pipe as in `exchange celebrities | grep ...`.
        var output = await RunProgramAsync(new() { ["EXCHANGE_KEY"] = host.OperatorToken }, "celebrities", "--url", host.BaseAddress.ToString());

        var row = output.Split('\n').SingleOrDefault(line => line.Contains(longId, StringComparison.Ordinal));
        Assert.True(row is not null, output);
        Assert.Contains("Piped Celebrity With A Long Name", row);
        Assert.Contains("not open", row);
        Assert.DoesNotContain("0.00", row);
    }

    [Fact]
    public async Task Help_never_prints_the_key_taken_from_the_environment_though_commands_use_it()
    {
        var environment = new Dictionary<string, string?> { ["EXCHANGE_KEY"] = host.OperatorToken };

        var help = await RunProgramAsync(environment, "--help");
        var buyHelp = await RunProgramAsync(environment, "buy", "--help");
        var audit = await RunProgramAsync(environment, "admin", "audit", "--url", host.BaseAddress.ToString());

        Assert.Contains("--key", help);
        Assert.DoesNotContain(host.OperatorToken, help);
        Assert.DoesNotContain(host.OperatorToken, buyHelp);
        Assert.Contains("PASSED", audit);
    }

    /// <summary>Runs the built `exchange` program with its output piped, as a script would; fails on a non-zero exit.</summary>
    private static async Task<string> RunProgramAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "exchange.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COLUMNS");
        start.Environment.Remove("EXCHANGE_URL");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"exchange {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await errors}");
        return await output;
    }

    [Theory]
    [InlineData("'950.5' is not a whole number: prices are whole fen per second", "sell", "some-star", "5", "--price", "950.5")]
    [InlineData("'5.5' is not a whole number: quantities are whole seconds", "buy", "some-star", "5.5", "--price", "950")]
    [InlineData("'12.50' is not a whole number: amounts are whole fen", "admin", "deposit", "fan-x", "12.50")]
    [InlineData("'lots' is not a whole number: quantities are whole seconds", "chat", "open", "some-star", "lots", "hello")]
    public void A_number_that_is_not_whole_is_refused_saying_what_the_unit_is(string expected, params string[] args) =>
        Assert.Contains(ParseErrors(args), message => message.StartsWith(expected, StringComparison.Ordinal));

    [Theory]
    [InlineData("--market and --price do not go together", "sell", "some-star", "5", "--market", "--price", "900")]
    [InlineData("Give --price (fen per second) for a limit order, or --market.", "buy", "some-star", "5")]
    public void An_order_needs_either_a_price_or_market_never_both(string expected, params string[] args) =>
        Assert.Contains(ParseErrors(args), message => message.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void The_book_and_the_tape_say_why_a_celebrity_does_not_trade_naming_a_delisting_once()
    {
        MarketQuote Quote(DateTimeOffset? haltedUntil, string? reason, bool delisted = false) =>
            new("q-star", true, 100, 90, 110, 100, null, null, haltedUntil, reason, delisted);

        Assert.Null(Display.StoppedTrading(Quote(null, null)));
        Assert.Equal("halted: news pending", Display.StoppedTrading(Quote(DateTimeOffset.MaxValue, "news pending")));
        Assert.Equal("halted until 2026-12-24 18:00:00Z: volatility", Display.StoppedTrading(Quote(new DateTimeOffset(2026, 12, 24, 18, 0, 0, TimeSpan.Zero), "volatility")));
        Assert.Equal("delisted, no longer trades: retired", Display.StoppedTrading(Quote(DateTimeOffset.MaxValue, "delisted: retired", delisted: true)));
        var volatility = Quote(new DateTimeOffset(2026, 12, 24, 18, 0, 0, TimeSpan.Zero), "volatility") with { AuctionCall = true };
        Assert.Equal("halted until 2026-12-24 18:00:00Z: volatility; limit orders taken for the reopening auction, nothing crosses yet", Display.StoppedTrading(volatility));
        Assert.Equal("halted until 2026-12-24 18:00:00Z: volatility; limit orders taken for the reopening auction, now 5 s at 1.05",
            Display.StoppedTrading(volatility with { AuctionPriceFen = 105, AuctionQuantity = 5 }));
    }

    [Fact]
    public void Whole_numbers_still_parse_as_before()
    {
        Assert.Empty(ParseErrors("sell", "some-star", "5", "--price", "950"));
        Assert.Empty(ParseErrors("buy", "some-star", "5", "--market"));
        Assert.Empty(ParseErrors("admin", "issue", "some-star", "1000", "250"));
    }

    /// <summary>What the command line says is wrong with these arguments, without running anything.</summary>
    private static List<string> ParseErrors(params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        return ExchangeCli.Build(console).Parse(args).Errors.Select(error => error.Message).ToList();
    }

    [Theory]
    [InlineData(true, null, OutputWidth.WhenRedirected)]
    [InlineData(false, null, null)]
    [InlineData(true, "100", 100)]
    [InlineData(false, "132", 132)]
    [InlineData(true, "wide", OutputWidth.WhenRedirected)]
    [InlineData(false, "0", null)]
    public void Tables_take_an_exported_width_then_a_wide_one_when_piped_else_the_terminals(bool redirected, string? columns, int? expected) =>
        Assert.Equal(expected, OutputWidth.For(redirected, columns));

    [Fact]
    public async Task A_fan_lists_its_own_trades_with_the_fee_each_sale_paid()
    {
        await ListAndIssueAsync("cli-mine", "actor", seconds: 12, priceFen: 500); // all bought by the seller, so the buyer meets only its offer
        var seller = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-mine-seller"));
        var buyer = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-mine-buyer"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-mine-seller", "100000");
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-mine-buyer", "100000");
        await RunAsync(seller, "buy", "cli-mine", "12", "--price", "500");
        await RunAsync(host.OperatorToken, "admin", "audit"); // settles every book, so the seconds bought can be sold
        await RunAsync(seller, "sell", "cli-mine", "4", "--price", "505");
        await RunAsync(buyer, "buy", "cli-mine", "4", "--price", "505");

        var mine = await RunAsync(seller, "my-trades");

        Assert.Matches(@"│ cli-mine +│ sell +│ 4 +│ 5\.05 +│ 20\.20 +│ 0\.61 +│ \+19\.59 +│", mine); // 3% of 20.20, half up
        Assert.Matches(@"│ cli-mine +│ buy +│ 12 +│ 5\.00 +│ 60\.00 +│ 0\.00 +│ -60\.00 +│", mine);
        Assert.True(mine.IndexOf("sell", StringComparison.Ordinal) < mine.IndexOf("buy", StringComparison.Ordinal)); // newest first
        Assert.DoesNotContain("cli-mine-buyer", mine);
        var csv = (await RunAsync(seller, "my-trades", "--csv", "--limit", "1")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
        Assert.Equal(Exchange.Client.Cli.TradesCsv.Header, csv[0]);
        Assert.Equal(3, csv.Count); // every trade, one a page, not only the first page
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,[^,]+,cli-mine,sell,cli-mine-seller:\d+,4,5\.05,20\.20,0\.61,19\.59$", csv[1]);
        Assert.Matches(@",cli-mine,buy,cli-mine-seller:\d+,12,5\.00,60\.00,0\.00,-60\.00$", csv[2]);
        // 19.59 brought, less 4 of the 12 s that cost 60.00.
        const string realised = "gain on seconds sold so far, after fees: -0.41 CNY";
        Assert.Contains(realised, await Eventually.ValueAsync(() => RunAsync(seller, "wallet"), wallet => wallet.Contains(realised, StringComparison.Ordinal)));
        var newest = await RunAsync(seller, "my-trades", "--limit", "1");
        var next = System.Text.RegularExpressions.Regex.Match(newest, @"older trades: exchange my-trades --before (\S+)").Groups[1].Value;
        Assert.Contains("│ sell ", newest);
        Assert.DoesNotContain("│ buy ", newest);
        var older = await RunAsync(seller, "my-trades", "--limit", "1", "--before", next);
        Assert.Contains("│ buy ", older);
    }

    [Fact]
    public async Task A_fan_places_an_order_for_the_day_and_its_orders_say_so()
    {
        await ListAndIssueAsync("cli-day", "actor", seconds: 100, priceFen: 500);
        var fan = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-day-fan"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-day-fan", "10000");

        Assert.Contains("Open", await RunAsync(fan, "buy", "cli-day", "2", "--price", "480", "--tif", "Day"));

        Assert.Matches(@"│ Buy\s*│ Limit, day\s*│ 4\.80", await RunAsync(fan, "orders"));
    }

    [Fact]
    public async Task A_fan_places_a_stop_loss_and_its_orders_show_the_stop()
    {
        await ListAndIssueAsync("cli-stop", "actor", seconds: 100, priceFen: 500);
        var fan = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-stop-fan"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-stop-fan", "10000");
        Assert.Contains("Filled", await RunAsync(fan, "buy", "cli-stop", "4", "--market"));
        await host.SettleAsync();

        var placed = await RunAsync(fan, "sell", "cli-stop", "4", "--market", "--stop", "450");

        Assert.Contains("waits off the book until a trade at or below 4.50 CNY/s", placed);
        Assert.Matches(@"│ Sell\s*│ Market, stop 4\.50", await RunAsync(fan, "orders"));
        Assert.Contains("Market, stop 4.50", await RunAsync(fan, "orders", "--celebrity", "cli-stop"));
        Assert.DoesNotContain("cli-stop", await RunAsync(fan, "orders", "--celebrity", "cli-day"));
    }

    [Fact]
    public async Task A_fan_follows_a_celebrity_lists_its_favourites_and_unfollows_it()
    {
        await ListAndIssueAsync("cli-fav-star", "actor", seconds: 100, priceFen: 500);
        await ListAndIssueAsync("cli-fav-other", "actor", seconds: 100, priceFen: 500);
        var fan = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-fav-fan"));

        Assert.Contains("following cli-fav-star", await RunAsync(fan, "favourite", "cli-fav-star"));
        var favourites = await RunAsync(fan, "celebrities", "--favourites");
        Assert.Contains("no longer following cli-fav-star", await RunAsync(fan, "unfavourite", "cli-fav-star"));

        Assert.Contains("│ cli-fav-star", favourites);
        Assert.DoesNotContain("cli-fav-other", favourites);
        Assert.DoesNotContain("cli-fav-star", await RunAsync(fan, "celebrities", "--favourites"));
        Assert.Contains("cli-fav-other", await RunAsync(fan, "celebrities", "--search", "cli-fav", "--sort", "losers"));
    }

    [Fact]
    public async Task A_fan_makes_a_read_only_key_for_an_app_which_reads_but_cannot_trade_and_then_revokes_it()
    {
        await ListAndIssueAsync("cli-ro-star", "actor", seconds: 100, priceFen: 500);
        var fan = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-ro-fan"));

        var made = await RunAsync(fan, "keys", "read-only");
        var app = TokenIn(made);
        var capture = new ConsoleCapture();
        var buyExit = await RunAsync(app, capture, CancellationToken.None, "buy", "cli-ro-star", "1", "--price", "500");
        var listed = await RunAsync(fan, "keys");
        Exchange.Abstractions.Http.ApiKeyToken.TryParse(app, out var appKeyId, out _);
        var revoked = await RunAsync(fan, "keys", "revoke", appKeyId);
        var afterCapture = new ConsoleCapture();
        var afterExit = await RunAsync(app, afterCapture, CancellationToken.None, "wallet");

        Assert.Contains("wallet cli-ro-fan", await RunOnAsync(host, fan, "wallet"));
        Assert.Equal((1, true), (buyExit, capture.Text.Contains("read_only_key", StringComparison.Ordinal)));
        Assert.Matches(@"│ fan, read-only\s*│", listed);
        Assert.Contains($"revoked {appKeyId}", revoked);
        Assert.Equal((1, true), (afterExit, afterCapture.Text.Contains("unauthorized", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_fan_replaces_its_key_and_goes_on_with_the_new_one()
    {
        var old = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-rotator"));

        var rotated = await RunAsync(old, "rotate-key");
        var fresh = TokenIn(rotated);
        var capture = new ConsoleCapture();
        var oldExit = await RunAsync(old, capture, CancellationToken.None, "wallet");

        Assert.Contains("the old one no longer works", rotated);
        Assert.NotEqual(old, fresh);
        Assert.Contains("wallet cli-rotator", await RunAsync(fresh, "wallet"));
        Assert.Equal((1, true), (oldExit, capture.Text.Contains("unauthorized", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_operator_reads_the_commission_earned_per_celebrity()
    {
        await ListAndIssueAsync("cli-fee", "actor", seconds: 100, priceFen: 500);
        var fanKey = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-fee-fan"));
        await RunAsync(host.OperatorToken, "admin", "deposit", "cli-fee-fan", "100000");
        await RunAsync(fanKey, "buy", "cli-fee", "12", "--price", "500");
        await RunAsync(host.OperatorToken, "admin", "audit"); // settles every book first

        var report = await RunAsync(host.OperatorToken, "admin", "commission", "--days", "2", "--top", "1000");

        Assert.Matches(@"commission [\d,]+\.\d\d CNY from [1-9]\d* trades", report);
        Assert.Matches(@"│ cli-fee +│ 1\.80 +│", report); // 3% of 12 s x 5.00 CNY
    }

    [Fact]
    public async Task An_operator_halts_and_resumes_the_whole_exchange_from_the_command_line()
    {
        await RunAsync(host.OperatorToken, "admin", "list-celebrity", "cli-breaker", "--name", "Cli Breaker", "--category", "model", "--followers", "20000", "--views", "15000");

        var halted = await RunAsync(host.OperatorToken, "admin", "halt-market", "--reason", "drill");
        var statusDuring = await RunAsync(host.OperatorToken, "admin", "market");
        var resumed = await RunAsync(host.OperatorToken, "admin", "resume-market");
        var statusAfter = await RunAsync(host.OperatorToken, "admin", "market");

        Assert.Matches(@"halted the whole exchange \([1-9]\d* books\)", halted);
        Assert.Contains("the whole exchange is halted: drill", statusDuring);
        Assert.Matches(@"resumed the whole exchange \([1-9]\d* books\)", resumed);
        Assert.Contains("no whole-exchange halt", statusAfter);
    }

    [Fact]
    public async Task An_operator_delists_a_celebrity_from_the_command_line_and_the_market_list_and_book_say_so()
    {
        await ListAndIssueAsync("cli-delisted", "model", seconds: 100, priceFen: 500);
        await RunAsync(host.OperatorToken, "admin", "halt", "cli-delisted", "--reason", "news pending");
        Assert.Contains("halted: news pending", await RunAsync(host.OperatorToken, "book", "cli-delisted"));

        var delisted = await RunAsync(host.OperatorToken, "admin", "delist", "cli-delisted", "--reason", "contract ended");
        var market = await RunAsync(host.OperatorToken, "celebrities", "--category", "model");
        var book = await RunAsync(host.OperatorToken, "book", "cli-delisted");

        Assert.Contains("delisted cli-delisted (contract ended); resting orders cancelled: 1", delisted); // the treasury's offer
        Assert.Matches(@"│ cli-delisted .*│ delisted +│", market);
        Assert.Contains("delisted, no longer trades: contract ended", book);
        Assert.Contains("relisted cli-delisted", await RunAsync(host.OperatorToken, "admin", "relist", "cli-delisted"));
        Assert.Contains("halted: news pending", await RunAsync(host.OperatorToken, "book", "cli-delisted")); // its own halt is kept
        await host.SettleAsync();
    }

    [Fact]
    public async Task An_operator_records_a_falling_audience_and_lists_the_flagged_and_delisted_celebrities()
    {
        await RunAsync(host.OperatorToken, "admin", "list-celebrity", "cli-fading", "--name", "Cli Fading", "--category", "athlete", "--followers", "20000", "--views", "15000");
        await RunAsync(host.OperatorToken, "admin", "list-celebrity", "cli-departed", "--name", "Cli Departed", "--category", "athlete", "--followers", "20000", "--views", "15000");

        var flagged = await RunAsync(host.OperatorToken, "admin", "audience", "cli-fading", "--followers", "4000", "--views", "15000");
        await RunAsync(host.OperatorToken, "admin", "delist", "cli-departed", "--reason", "retired");
        var flaggedList = await RunAsync(host.OperatorToken, "admin", "celebrities", "--flagged");
        var delistedList = await RunAsync(host.OperatorToken, "admin", "celebrities", "--delisted");
        var everyone = await RunAsync(host.OperatorToken, "admin", "celebrities");
        var recovered = await RunAsync(host.OperatorToken, "admin", "audience", "cli-fading", "--followers", "40000", "--views", "15000");

        Assert.Contains("cli-fading: flagged (", flagged);
        Assert.Matches(@"│ cli-fading .*│ 4,000 +│ 15,000 +│ .*│ flagged: ", flaggedList);
        Assert.DoesNotContain("cli-departed", flaggedList);
        Assert.Matches(@"│ cli-departed .*│ delisted: retired +│", delistedList);
        Assert.DoesNotContain("cli-fading", delistedList);
        Assert.Contains("cli-fading", everyone);
        Assert.Contains("cli-departed", everyone);
        Assert.Contains("cli-fading: meets the listing rules", recovered);
    }

    [Fact]
    public async Task An_operator_sees_the_silos_and_rebalances_from_the_command_line()
    {
        await RunAsync(host.OperatorToken, "admin", "list-celebrity", "cli-cluster", "--name", "Cli Cluster", "--category", "athlete", "--followers", "20000", "--views", "15000");

        var silos = await RunAsync(host.OperatorToken, "admin", "silos");
        var rebalanced = await RunAsync(host.OperatorToken, "admin", "rebalance");

        Assert.Contains("Active", silos);
        Assert.Matches(@"│ \d+ \(newest\) +│", silos);
        Assert.Matches(@"│ [1-9]\d* +│ .*CelebrityGrain [1-9]\d*", silos);
        Assert.Contains("asked 0 activations to move", rebalanced);
        Assert.Matches(@"movable activations after the moves", rebalanced);
    }

    [Fact]
    public async Task My_feed_shows_a_resting_sale_filled_by_another_fan_with_the_fee_and_the_new_balance()
    {
        var op = host.OperatorToken;
        await ListAndIssueAsync("cli-feed", "actor", seconds: 1000, priceFen: 100);
        var sellerKey = TokenIn(await RunAsync(op, "admin", "create-key", "cli-feed-seller"));
        var buyerKey = TokenIn(await RunAsync(op, "admin", "create-key", "cli-feed-buyer"));
        await RunAsync(op, "admin", "deposit", "cli-feed-seller", "10000");
        await RunAsync(op, "admin", "deposit", "cli-feed-buyer", "10000");
        await RunAsync(sellerKey, "buy", "cli-feed", "10", "--price", "100");
        await RunAsync(op, "admin", "audit"); // settles the purchase, so its late events stay off the feed below
        await RunAsync(sellerKey, "sell", "cli-feed", "4", "--price", "95");

        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var feed = new ConsoleCapture();
        var running = RunAsync(sellerKey, feed, watching.Token, "my-feed", "--count", "3");
        await WaitForAsync(() => feed.Text.Contains("connected"), watching.Token);
        await RunAsync(buyerKey, "buy", "cli-feed", "4", "--price", "95");

        Assert.Equal(0, await running);
        Assert.Contains("ORDER cli-feed-seller:2 sell cli-feed 4 s @ 0.95 CNY/s: Filled, filled 4, cancelled 0", feed.Text);
        Assert.Matches(@"TRADE \d\d:\d\d:\d\d sell cli-feed 4 s @ 0.95 CNY/s, fee 0.11, cash \+3.69", feed.Text); // 3% of 3.80 is 0.114
        Assert.Contains("BALANCE cash 93.69 CNY available, 0.00 reserved; cli-feed 6 s available, 0 reserved, 0 held for bookings", feed.Text);
        Assert.DoesNotContain("cli-feed-buyer", feed.Text);
    }

    [Fact]
    public async Task My_feed_ends_with_the_reason_when_its_key_is_revoked_rather_than_reconnecting_for_ever()
    {
        var key = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-revoked-feed"));
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var feed = new ConsoleCapture();
        var running = RunAsync(key, feed, watching.Token, "my-feed");
        await WaitForAsync(() => feed.Text.Contains("connected"), watching.Token);

        await RunAsync(key, "rotate-key");

        Assert.Equal(1, await running);
        Assert.Contains("unauthorized", feed.Text);
    }

    [Fact]
    public async Task A_fan_asks_to_cash_out_and_an_operator_pays_one_request_and_rejects_another_from_the_command_line()
    {
        var op = host.OperatorToken;
        var fanKey = TokenIn(await RunAsync(op, "admin", "create-key", "cli-cash-out"));
        await RunAsync(op, "admin", "deposit", "cli-cash-out", "50000");

        Assert.Contains("withdrawal rent of 300.00 CNY is pending", await RunAsync(fanKey, "withdraw", "30000", "--request-id", "rent"));
        Assert.Contains("withdrawal rent of 300.00 CNY is pending", await RunAsync(fanKey, "withdraw", "30000", "--request-id", "rent")); // a retry
        await RunAsync(fanKey, "withdraw", "5000", "--request-id", "fun");
        Assert.Contains("cash held for withdrawals │ 350.00", await RunAsync(fanKey, "wallet"));
        var pending = await RunAsync(op, "admin", "withdrawals");
        Assert.Contains("cli-cash-out │ rent", pending);
        Assert.Contains("cli-cash-out │ fun", pending);

        Assert.Contains("withdrawal rent of cli-cash-out (300.00 CNY) is paid", await RunAsync(op, "admin", "pay-withdrawal", "cli-cash-out", "rent", "--reference", "bank 991"));
        Assert.Contains("is rejected", await RunAsync(op, "admin", "reject-withdrawal", "cli-cash-out", "fun", "--reason", "limit reached today"));

        var mine = await RunAsync(fanKey, "withdrawals");
        Assert.Contains("paid", mine);
        Assert.Contains("bank 991", mine);
        Assert.Contains("limit reached today", mine);
        Assert.Contains("cash (CNY) │ 200.00", await RunAsync(fanKey, "wallet"));
        Assert.DoesNotContain("cli-cash-out", await RunAsync(op, "admin", "withdrawals"));
    }

    [Fact]
    public async Task Dev_payment_reports_a_top_up_as_the_provider_would_and_the_same_payment_id_credits_once()
    {
        var secretFile = Path.Combine(Path.GetTempPath(), $"exchange-payment-secret-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(secretFile, ApiHost.PaymentSecret + "\n");
        try
        {
            var payer = TokenIn(await RunAsync(host.OperatorToken, "admin", "create-key", "cli-payer"));
            // No API key at all: the provider proves itself with the secret.
            var first = await RunAsync("", "dev-payment", "cli-payer", "12345", "--secret-file", secretFile, "--payment-id", "alipay-0001");
            var again = await RunAsync("", "dev-payment", "cli-payer", "12345", "--secret-file", secretFile, "--payment-id", "alipay-0001");

            Assert.Contains("payment alipay-0001: 123.45 CNY credited to cli-payer", first);
            Assert.Contains("already credited to cli-payer, nothing more", again);
            Assert.Contains("cash (CNY) │ 123.45", await RunAsync(host.OperatorToken, "admin", "wallet", "cli-payer"));
            Assert.Matches(@"│ alipay-0001 +│ 123.45 │", await RunAsync(payer, "top-ups"));
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public async Task Watching_a_celebrity_not_listed_ends_at_once_with_the_reason()
    {
        var capture = new ConsoleCapture();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exitCode = await RunAsync(host.OperatorToken, capture, patience.Token, "watch", "cli-not-listed");

        Assert.Equal(1, exitCode);
        Assert.Contains("unknown_celebrity", capture.Text);
        Assert.Contains("'cli-not-listed'", capture.Text);
    }

    [Fact]
    public async Task Refusals_print_the_code_and_exit_non_zero()
    {
        var capture = new ConsoleCapture();

        var exitCode = await RunAsync("cx_bogus_key", capture, CancellationToken.None, "wallet");

        Assert.Equal(1, exitCode);
        Assert.Contains("unauthorized", capture.Text);
    }

    /// <summary>Lists a celebrity through the command line and has the treasury buy its time and offer it on the book.</summary>
    private async Task ListAndIssueAsync(string celebrityId, string category, long seconds, long priceFen, long followers = 20_000, long views = 15_000)
    {
        string Text(long number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await RunAsync(host.OperatorToken, "admin", "list-celebrity", celebrityId, "--name", celebrityId, "--category", category, "--followers", Text(followers), "--views", Text(views));
        await RunAsync(host.OperatorToken, "admin", "deposit", "platform:treasury", Text(seconds * priceFen));
        await RunAsync(host.OperatorToken, "admin", "issue", celebrityId, Text(seconds), Text(priceFen));
    }

    /// <summary>The API key a create-key or rotate-key command printed.</summary>
    private static string TokenIn(string output) => output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("cx_", StringComparison.Ordinal));

    private Task<string> RunAsync(string key, params string[] args) => RunOnAsync(host, key, args);

    private static async Task<string> RunOnAsync(ApiHost silo, string key, params string[] args)
    {
        var capture = new ConsoleCapture();
        var exitCode = await RunOnAsync(silo, key, capture, CancellationToken.None, args);
        Assert.True(exitCode == 0, $"exchange {string.Join(' ', args)} exited {exitCode}:\n{capture.Text}");
        return capture.Text;
    }

    private Task<int> RunAsync(string key, ConsoleCapture capture, CancellationToken cancellationToken, params string[] args) =>
        RunOnAsync(host, key, capture, cancellationToken, args);

    private static Task<int> RunOnAsync(ApiHost silo, string key, ConsoleCapture capture, CancellationToken cancellationToken, params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(capture), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 240;
        var root = ExchangeCli.Build(console);
        return root.Parse([.. args, "--url", silo.BaseAddress.ToString(), "--key", key]).InvokeAsync(cancellationToken: cancellationToken);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Console output the test can read while a command is still writing it.</summary>
    private sealed class ConsoleCapture : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
