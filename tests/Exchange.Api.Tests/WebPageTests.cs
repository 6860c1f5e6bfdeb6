using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Exchange.Abstractions.Http;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>
/// The web page in headless Chromium (Debian's chromium and chromium-driver) against a real silo with PostgreSQL.
/// Screenshots go to TestResults/screenshots for people to look at.
/// </summary>
public sealed class WebPageTests(ApiHost host) : IClassFixture<ApiHost>, IDisposable
{
    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");
    // Each test's own browser profile, removed when the test ends (they used to be left in the temp folder).
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "exchange-chromium-" + Guid.NewGuid().ToString("N"));
    private ChromeDriver? _driver;

    private ChromeDriver Browser => _driver ??= StartBrowser(_profile);

    private static ChromeDriver StartBrowser(string profile)
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1600,1000",
            "--user-data-dir=" + profile);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        _driver?.Quit();
        if (Directory.Exists(_profile))
        {
            Directory.Delete(_profile, recursive: true);
        }
    }

    [Fact]
    public async Task A_fan_logs_in_trades_sees_the_tape_and_wallet_update_and_gets_a_clear_error_for_a_bad_order()
    {
        await host.ListAndIssueAsync("web-star", 1_000, 250);
        var token = await host.CreateKeyAsync("web-fan");
        await host.FundAsync("web-fan", 100_000);
        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress);
        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-star']")).Count == 1);
        // Not traded yet: the list shows the price its time was issued at, marked as no trade's.
        Assert.Equal("2.50", Browser.FindElement(By.CssSelector("#celebrities tbody tr[data-id='web-star'] td:nth-child(4) span.hint")).Text);
        Assert.True(Browser.FindElement(By.Id("signed-out")).Displayed);
        // Money shows grouped, as on the command line, and from whole fen: exact even past 2^53 / 100, where a division is not.
        Assert.Equal("1,234,567.89", Browser.ExecuteScript("return yuan(123456789)"));
        Assert.Equal("-0.05", Browser.ExecuteScript("return yuan(-5)"));
        Assert.Equal("90,071,992,547,409.91", Browser.ExecuteScript("return yuan(9007199254740991)"));
        Assert.Equal("1234567.89", Browser.ExecuteScript("return yuan(123456789, false)")); // for a form, which takes no commas
        Browser.FindElement(By.Id("api-key")).SendKeys(token);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-fan (fan)"));
        Assert.False(Browser.FindElement(By.Id("signed-out")).Displayed);
        Assert.False(Browser.FindElement(By.Id("api-key")).Displayed); // another key only after logging out
        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-star']"));
        wait.Until(d => d.FindElement(By.Id("selected-name")).Text == "web star");
        wait.Until(d => d.FindElements(By.CssSelector("#book tbody tr")).Count > 0);

        // Before sending, the form says what the order pays or brings by the exchange's rules (3% from a sale, half up).
        const string rules = "{commissionBasisPoints: 300, maxOrderNotionalFen: 100000000000}";
        Assert.Equal("pays at most 23.10 CNY", Browser.ExecuteScript($"return orderEstimate('buy', 330, 7, {rules})"));
        Assert.Equal("brings at least 22.41 CNY: 23.10 less the 3% fee of 0.69", Browser.ExecuteScript($"return orderEstimate('sell', 330, 7, {rules})"));
        Assert.Equal("brings at least 0.48 CNY: 0.50 less the 3% fee of 0.02", Browser.ExecuteScript($"return orderEstimate('sell', 1, 50, {rules})")); // 1.5 fen, up
        Assert.Equal("over the 1,000,000,000.00 CNY one order may carry", Browser.ExecuteScript($"return orderEstimate('buy', 999999999999, 999999999999999, {rules})"));

        // Prices are typed in CNY, as the page shows them: 2.50 CNY/s is 250 fen.
        Browser.FindElement(By.Id("order-price")).SendKeys("2.50");
        Browser.FindElement(By.Id("order-quantity")).SendKeys("12");
        wait.Until(d => d.FindElement(By.Id("order-estimate")).Text == "pays at most 30.00 CNY");
        Browser.FindElement(By.Id("order-submit")).Click();

        wait.Until(d => d.FindElement(By.Id("order-result")).Text.Contains("filled, 12 of 12 s filled"));
        wait.Until(d => d.FindElements(By.CssSelector("#tape tbody tr.trade")).Any(r => r.Text.Contains("2.50") && r.Text.Contains("12")));
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith("web-star (s) 12", StringComparison.Ordinal)));
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text == "web-star (s) 12 0 0 30.00 30.00 +0.00")); // at the last price, 2.50, what they cost, and no gain
        wait.Until(d => d.FindElements(By.CssSelector("#my-trades tbody tr")).Any(r => r.Text.Contains("web-star buy 2.50 12 0.00")));
        wait.Until(d => d.FindElement(By.CssSelector("#celebrities tbody tr[data-id='web-star']")).Text.Contains("2.50 +0.0%"));
        Assert.Empty(Browser.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-star'] span.hint"))); // a trade's price now

        // The first tier: a text chat holds what it may use; the celebrity's answer starts its clock and the end burns only what it used.
        Assert.Equal("No chat answered or missed yet.", Browser.FindElement(By.Id("chat-responsiveness")).Text); // how soon this celebrity answers
        Browser.FindElement(By.Id("chat-seconds")).SendKeys("5");
        Browser.FindElement(By.Id("chat-message")).SendKeys("Hi! Loved the show.");
        Browser.FindElement(By.Id("chat-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("chat-result")).Text == "chat open: 5 s held");
        wait.Until(d => d.FindElement(By.Id("chat-status")).Text.StartsWith("Waiting for web-star's answer until", StringComparison.Ordinal));
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text == "web-star (s) 7 0 5 30.00 30.00 +0.00"));
        var chatId = wait.Until(d => d.FindElements(By.CssSelector("#chats tbody tr")).SingleOrDefault()?.GetAttribute("data-id"));
        using (var agent = host.Client(await host.CreateKeyAsync("agent-web-star", "celebrity")))
        {
            Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync($"/api/v1/celebrities/web-star/chat-sessions/{chatId}/messages", new { text = "Thank you <3" }));
        }

        // The answer shows without a reload, as typed, and the chat is live: the chat's feed brings it, well before the
        // page's 30 s safety read.
        Waiter(TimeSpan.FromSeconds(10)).Until(d => d.FindElement(By.Id("chat-messages")).Text.Contains("agent-web-star (for web-star): Thank you <3"));
        wait.Until(d => d.FindElement(By.Id("chat-status")).Text.StartsWith("Live since", StringComparison.Ordinal));
        // How quickly it answers, under the chat form, counts this answer without a reload too.
        Waiter(TimeSpan.FromSeconds(10)).Until(d => d.FindElement(By.Id("chat-responsiveness")).Text.StartsWith("Answered 1 of its last 1 chats", StringComparison.Ordinal));
        Browser.FindElement(By.Id("chat-end")).Click();
        var used = int.Parse(wait.Until(d => System.Text.RegularExpressions.Regex.Match(d.FindElement(By.Id("chat-status")).Text,
            @"^Ended \(by the fan\): used ([1-5]) of 5 s, the rest returned\.$") is { Success: true } ended ? ended.Groups[1].Value : null)!,
            System.Globalization.CultureInfo.InvariantCulture);
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith($"web-star (s) {12 - used} 0 0 ", StringComparison.Ordinal)));
        Assert.False(Browser.FindElement(By.Id("chat-reply")).Displayed); // nothing more to say in an ended chat
        wait.Until(d => d.FindElements(By.CssSelector("#my-chats tbody tr")).Any(r => r.Text.EndsWith($"web-star web-fan ended {used} / 5", StringComparison.Ordinal)));
        Assert.Empty(Browser.FindElements(By.CssSelector("#bookings tbody tr"))); // a chat is not a slot's booking
        Directory.CreateDirectory(Screenshots);
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "fan-after-trade.png"));

        // A market order may trade anywhere in today's band (2.25-2.75), so the form gives its worst case at the edge.
        void Choose(string select, string value) => Browser.FindElement(By.CssSelector($"#{select} option[value='{value}']")).Click();
        Choose("order-type", "market");
        wait.Until(d => d.FindElement(By.Id("order-estimate")).Text == "pays at most 33.00 CNY (at worst, at the band's edge 2.75)");
        Choose("order-side", "sell");
        wait.Until(d => d.FindElement(By.Id("order-estimate")).Text == "brings at least 26.19 CNY: 27.00 less the 3% fee of 0.81 (at worst, at the band's edge 2.25)");
        Choose("order-side", "buy");
        Choose("order-type", "limit");

        Browser.FindElement(By.Id("order-price")).Clear();
        Browser.FindElement(By.Id("order-price")).SendKeys("9.99");
        Browser.FindElement(By.Id("order-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("order-error")).Text.Contains("price_outside_band"));
        Assert.Contains("(9.99 CNY/s) is outside today's band 225..275 fen/s (2.25-2.75 CNY/s)", Browser.FindElement(By.Id("order-error")).Text);
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "fan-bad-order.png"));

        // A resting bid, reduced to 4 s (its reservation shrinks with it), then every open order pulled at once.
        Browser.FindElement(By.Id("order-price")).Clear();
        Browser.FindElement(By.Id("order-price")).SendKeys("2.40");
        Browser.FindElement(By.Id("order-submit")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Count == 1);
        ClickRow(wait, By.CssSelector("#orders tbody tr button"));
        var prompt = wait.Until(d => { try { return d.SwitchTo().Alert(); } catch (NoAlertPresentException) { return null; } })!;
        prompt.SendKeys("4");
        prompt.Accept();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Any(r => r.Text.StartsWith("web-star buy 2.40 12 0 4", StringComparison.Ordinal))
            && d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith("cash (CNY) 960.40 9.60", StringComparison.Ordinal)));
        // Then given a higher price in one step: the reservation for its 4 s rises with it.
        ClickRow(wait, By.CssSelector("#orders tbody tr button:nth-of-type(2)"));
        prompt = wait.Until(d => { try { return d.SwitchTo().Alert(); } catch (NoAlertPresentException) { return null; } })!;
        prompt.SendKeys("2.45");
        prompt.Accept();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Any(r => r.Text.StartsWith("web-star buy 2.45 12 0 4", StringComparison.Ordinal))
            && d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith("cash (CNY) 960.20 9.80", StringComparison.Ordinal)));
        Browser.FindElement(By.Id("cancel-all")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Count == 0
            && d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith("cash (CNY) 970.00 0.00", StringComparison.Ordinal)));
        // A bid for today only, marked so in the list of open orders.
        Choose("order-tif", "day");
        Browser.FindElement(By.Id("order-quantity")).Clear();
        Browser.FindElement(By.Id("order-quantity")).SendKeys("2");
        Browser.FindElement(By.Id("order-submit")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Any(r => r.Text.StartsWith("web-star buy (today) 2.40 2 0 2", StringComparison.Ordinal)));
        Choose("order-tif", "goodTillCancel");
        Browser.FindElement(By.Id("cancel-all")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Count == 0);
        // A buy that waits for a trade at 9.99 or above: open, its stop shown (that the book does not show it, the API tests check).
        Browser.FindElement(By.Id("order-stop")).SendKeys("9.99");
        Browser.FindElement(By.Id("order-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("order-result")).Text.Contains("waits off the book for a trade at or above 9.99")
            && d.FindElements(By.CssSelector("#orders tbody tr")).Any(r => r.Text.StartsWith("web-star buy 2.40, stop 9.99 2 0 2", StringComparison.Ordinal)));
        Assert.Equal(["reduce", "cancel"], Browser.FindElements(By.CssSelector("#orders tbody tr button")).Select(b => b.Text)); // no price to change yet
        Browser.FindElement(By.Id("order-stop")).Clear();
        Browser.FindElement(By.Id("cancel-all")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Count == 0);

        // A third decimal is a fraction of a fen: refused on the page, nothing sent.
        using var fan = host.Client(token);
        var ordersBefore = (await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/orders?includeClosed=true")).GetArrayLength();
        Browser.FindElement(By.Id("order-price")).Clear();
        Browser.FindElement(By.Id("order-price")).SendKeys("2.505");
        Browser.FindElement(By.Id("order-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("order-error")).Text.Contains("invalid_price"));
        Assert.Equal(ordersBefore, (await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/orders?includeClosed=true")).GetArrayLength());
        Assert.True(ordersBefore >= 1);
        Assert.DoesNotContain(token, (string?)Browser.ExecuteScript("return document.cookie + JSON.stringify(localStorage)") ?? "");
        // The page does all of the above within the exchange's content security policy, and loads nothing that is missing.
        Assert.DoesNotContain(Browser.Manage().Logs.GetLog(LogType.Browser), entry => entry.Level == LogLevel.Severe
            && (entry.Message.Contains("Content Security Policy", StringComparison.Ordinal) || entry.Message.Contains("status of 404", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_page_watching_a_busy_celebrity_reloads_the_market_about_once_a_second_not_on_every_trade()
    {
        await host.ListAndIssueAsync("web-busy-star", 1_000, 100);
        var token = await host.CreateKeyAsync("web-busy-fan");
        await host.FundAsync("web-busy-fan", 100_000);
        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress);
        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-busy-star']")).Count == 1);
        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-busy-star']"));
        wait.Until(_ => Browser.ExecuteScript("return state.feed !== null && state.feed.readyState === 1") is true);

        // Counts the feed's quote events (one per settled batch of trades) and the page's loads of the whole list.
        Browser.ExecuteScript(
            "window.quotes = 0; window.listLoads = 0;" +
            "state.feed.addEventListener('quote', () => window.quotes++);" +
            "const fetchBefore = window.fetch;" +
            "window.fetch = (path, options) => { if (path === '/api/v1/celebrities') window.listLoads++; return fetchBefore(path, options); };");

        var clock = Stopwatch.StartNew();
        using var fan = host.Client(token);
        for (var i = 0; i < 40; i++)
        {
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
                new { clientOrderId = $"busy-{i}", celebrityId = "web-busy-star", side = "buy", priceFen = 100, quantity = 1 }));
            await Task.Delay(25);
        }

        wait.Until(_ => Count("quotes") >= 10);
        // The refresh for the last trades comes when the page's wait ends.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var (quotes, listLoads, seconds) = (Count("quotes"), Count("listLoads"), clock.Elapsed.TotalSeconds);

        Assert.True(listLoads >= 1, "the page never reloaded the market");
        Assert.True(listLoads <= seconds + 1, $"{listLoads} list loads in {seconds:0.0} s for {quotes} quote events");
        Assert.True(quotes > seconds + 1, $"only {quotes} quote events in {seconds:0.0} s: too few to tell a throttled page from one that reloads on each");
    }

    private long Count(string counter) =>
        Convert.ToInt64(Browser.ExecuteScript($"return window.{counter}"), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_volatility_halt_says_it_takes_limit_orders_for_its_reopening_auction_and_what_that_would_trade()
    {
        using var halted = await host.HaltByVolatilityAsync("web-auction");
        await halted.Holder.PlaceLimitAsync("web-auction", "sell", 1_040, 5); // collected for the auction, not matched
        await halted.Spiker.PlaceLimitAsync("web-auction", "buy", 1_050, 8);
        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress + "#web-auction");
        wait.Until(d => d.FindElements(By.Id("auction")).Count == 1);

        Assert.Contains("HALTED: volatility", Browser.FindElement(By.Id("halted")).Text);
        Assert.Equal("· limit orders taken for the reopening auction, now 5 s at 10.50 CNY/s", Browser.FindElement(By.Id("auction")).Text);
        Directory.CreateDirectory(Screenshots);
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "reopening-auction.png"));
    }

    [Fact]
    public async Task An_agent_offers_time_on_the_page_and_an_operator_accepts_it_there()
    {
        await host.ListAndIssueAsync("web-offer-star", 100, 300);
        var agentToken = await host.CreateKeyAsync("agent-web-offer-star", "celebrity");
        await host.FundAsync("platform:treasury", 200 * 310);
        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress + "#web-offer-star");
        Browser.FindElement(By.Id("api-key")).SendKeys(agentToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("(celebrity)"));
        wait.Until(d => d.FindElement(By.Id("selected-name")).Text == "web offer star");
        Browser.FindElement(By.Id("offer-seconds")).SendKeys("200");
        Browser.FindElement(By.Id("offer-price")).SendKeys("3.1");
        Browser.FindElement(By.Id("offer-note")).SendKeys("winter tour");
        Browser.FindElement(By.Id("offer-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("offer-result")).Text == "offered 200 s at 3.10 CNY/s: an operator decides");
        wait.Until(d => d.FindElements(By.CssSelector("#my-offers tbody tr")).Any(r => r.Text.Contains("200 3.10 pending winter tour")));

        Browser.FindElement(By.Id("logout")).Click();
        Browser.FindElement(By.Id("api-key")).SendKeys(host.OperatorToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#pending-offers tbody tr")).Any(r => r.Text.Contains("web-offer-star agent-web-offer-star 200 3.10 winter tour")));
        Browser.FindElements(By.CssSelector("#pending-offers tbody tr")).First(r => r.Text.Contains("web-offer-star"))
            .FindElements(By.TagName("button")).First(b => b.Text == "accept…").Click();
        var prompt = wait.Until(d => AlertIsOpen(d))!;
        Assert.Contains("Buy 200 s of web-offer-star for 620.00 CNY?", prompt.Text);
        prompt.SendKeys("contract 31");
        prompt.Accept();

        wait.Until(d => !d.FindElements(By.CssSelector("#pending-offers tbody tr")).Any(r => r.Text.Contains("web-offer-star")));
        using var agent = host.Client(agentToken);
        var offer = Assert.Single((await agent.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/web-offer-star/offers")).EnumerateArray());
        Assert.Equal(("accepted", "contract 31"), (offer.GetProperty("status").GetString(), offer.GetProperty("decisionNote").GetString()));
        var celebrity = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/web-offer-star");
        Assert.Equal(300, celebrity.GetProperty("celebrity").GetProperty("issuedSeconds").GetInt64());

        // The next offer the operator answers with other terms, which the agent then takes on its page.
        await host.FundAsync("platform:treasury", 60 * 300);
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync("/api/v1/celebrities/web-offer-star/offers", new { offerId = "spring", seconds = 100, priceFen = 320 }));
        wait.Until(d => d.FindElements(By.CssSelector("#pending-offers tbody tr")).Any(r => r.Text.Contains("web-offer-star agent-web-offer-star 100 3.20")));
        ClickRow(wait, By.XPath("//table[@id='pending-offers']//tr[contains(., 'web-offer-star')]//button[text()='counter…']"));
        var terms = wait.Until(d => AlertIsOpen(d))!;
        terms.SendKeys("60 3.00 less for now");
        terms.Accept();
        wait.Until(d => d.FindElements(By.CssSelector("#pending-offers tbody tr")).Any(r => r.Text.Contains("countered: 60 s at 3.00, waiting for them")));
        Browser.FindElement(By.Id("logout")).Click();
        Browser.FindElement(By.Id("api-key")).SendKeys(agentToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#my-offers tbody tr")).Any(r => r.Text.Contains("spring 100 3.20 countered: 60 s at 3.00 less for now")));
        ClickRow(wait, By.XPath("//table[@id='my-offers']//tr[contains(., 'spring')]//button[text()='accept']"));
        wait.Until(d => d.FindElements(By.CssSelector("#my-offers tbody tr")).Any(r => r.Text.Contains("spring 100 3.20 accepted")));
        celebrity = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/web-offer-star");
        Assert.Equal(360, celebrity.GetProperty("celebrity").GetProperty("issuedSeconds").GetInt64());
    }

    [Fact]
    public async Task An_operator_suspends_an_account_on_the_page_and_its_fan_reads_why_until_reinstated()
    {
        var token = await host.CreateKeyAsync("web-suspect");
        await host.FundAsync("web-suspect", 10_000);
        using var op = host.Operator();
        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(host.OperatorToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("(operator)"));
        Browser.FindElement(By.Id("lookup-account")).SendKeys("web-nobody");
        Browser.FindElement(By.Id("lookup-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("looked-up")).Text.StartsWith("unknown_account", StringComparison.Ordinal));
        Browser.FindElement(By.Id("lookup-account")).Clear();
        Browser.FindElement(By.Id("lookup-account")).SendKeys("web-suspect");
        Browser.FindElement(By.Id("lookup-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("looked-up")).Text == "web-suspect: 100.00 CNY available, 0.00 reserved, 0 holdings, 0 open orders");
        Browser.FindElement(By.Id("suspend-account")).Click();
        var prompt = wait.Until(d => AlertIsOpen(d))!;
        prompt.SendKeys("identity check");
        prompt.Accept();
        wait.Until(d => d.FindElement(By.Id("looked-up")).Text.EndsWith("· SUSPENDED: identity check", StringComparison.Ordinal));
        Assert.True(Browser.FindElement(By.Id("reinstate-account")).Displayed);
        Assert.False(Browser.FindElement(By.Id("suspend-account")).Displayed);
        Browser.FindElement(By.Id("logout")).Click();

        Browser.FindElement(By.Id("api-key")).SendKeys(token);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("suspended")).Displayed);
        Assert.StartsWith("Your account is suspended by the exchange: identity check.", Browser.FindElement(By.Id("suspended")).Text);
        Expect(HttpStatusCode.OK, await op.PostAsync("/api/v1/admin/accounts/web-suspect/reinstate", null));
        Browser.Navigate().Refresh();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-suspect (fan)"));
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Count > 0);

        Assert.False(Browser.FindElement(By.Id("suspended")).Displayed);
    }

    [Fact]
    public async Task An_operator_sees_silos_runs_the_audit_and_halts_a_market()
    {
        await host.ListAndIssueAsync("web-ops-star", 100, 100);
        await host.ListAndIssueAsync("web-fading-star", 100, 100);
        using (var op = host.Operator())
        {
            Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/celebrities/web-fading-star/audience", new { followers = 10, averageViewsPerPost = 10 }));
        }

        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(host.OperatorToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("(operator)"));
        wait.Until(d => d.FindElements(By.CssSelector("#silos tbody tr")).Any(r => r.Text.Contains("Active") && r.Text.Contains("(newest)")));
        wait.Until(d => d.FindElements(By.CssSelector("#review tbody tr")).Any(r => r.Text.StartsWith("web-fading-star flagged: ", StringComparison.Ordinal)));
        Assert.Matches(@"^[\d,]+\.\d\d CNY from [\d,]+ trades", Browser.FindElement(By.Id("commission")).Text);
        wait.Until(d => d.FindElement(By.Id("scheduled-audit")).Text.StartsWith("The exchange audits itself every 1 h;", StringComparison.Ordinal));
        Assert.Equal("1 d 30 min", Browser.ExecuteScript("return duration('1.00:30:00')"));
        Assert.Equal("1 min 30 s", Browser.ExecuteScript("return duration('00:01:30.5000000')"));
        Browser.FindElement(By.Id("run-audit")).Click();
        wait.Until(d => d.FindElement(By.Id("audit")).Text.StartsWith("PASSED", StringComparison.Ordinal));
        Assert.Contains("seconds outstanding", Browser.FindElement(By.Id("audit")).Text);
        Browser.FindElement(By.Id("rebalance")).Click();
        wait.Until(d => d.FindElement(By.Id("rebalance-result")).Text == "asked 0 activations to move");

        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-ops-star']")).Count == 1);
        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-ops-star']"));
        wait.Until(d => d.FindElement(By.Id("selected-name")).Text == "web ops star");
        Browser.FindElement(By.Id("halt-reason")).SendKeys("page test");
        Browser.FindElement(By.Id("halt")).Click();
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 1 && d.FindElement(By.Id("halted")).Text.Contains("page test"));
        Directory.CreateDirectory(Screenshots);
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "operator-halt.png"));
        Browser.FindElement(By.Id("resume")).Click();
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 0);

        Browser.FindElement(By.Id("halt-market")).Click();
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 1 && d.FindElement(By.Id("halted")).Text.Contains("page test"));
        Browser.FindElement(By.Id("resume-market")).Click();
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 0);

        // Delisting asks first: dismissing the confirmation changes nothing, accepting it closes the book until relisted.
        Browser.FindElement(By.Id("delist")).Click();
        wait.Until(d => AlertIsOpen(d)).Dismiss();
        Assert.False((await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/web-ops-star")).GetProperty("celebrity").GetProperty("quote").GetProperty("isDelisted").GetBoolean());
        Browser.FindElement(By.Id("delist")).Click();
        wait.Until(d => AlertIsOpen(d)).Accept();
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 1 && d.FindElement(By.Id("halted")).Text.Contains("DELISTED, no longer trades: page test"));
        Browser.Navigate().Refresh();
        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-ops-star']")).Any(r => r.Text.EndsWith("delisted", StringComparison.Ordinal)));
        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-ops-star']"));
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 1);
        Browser.FindElement(By.Id("relist")).Click();
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 0);

        // The celebrity changes agency: the operator types the new agent's id.
        Assert.Equal("represented by agent-web-ops-star", Browser.FindElement(By.Id("selected-agent")).Text);
        Browser.FindElement(By.Id("set-agent")).Click();
        var asked = wait.Until(d => AlertIsOpen(d))!;
        asked.SendKeys("web-new-agency");
        asked.Accept();
        wait.Until(d => d.FindElement(By.Id("agent-result")).Text == "agent web-new-agency, was agent-web-ops-star; offers of time withdrawn: 0");
        Assert.Equal("represented by web-new-agency", Browser.FindElement(By.Id("selected-agent")).Text);
        Assert.Equal("web-new-agency", (await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/web-ops-star")).GetProperty("celebrity").GetProperty("agentId").GetString());
        await host.SettleAsync();
    }

    [Fact]
    public async Task A_fan_asks_to_cash_out_on_the_page_and_an_operator_records_the_payout_there()
    {
        var token = await host.CreateKeyAsync("web-cash-out-fan");
        await host.FundAsync("web-cash-out-fan", 50_000, note: "Opening credit");
        // And a top-up through the payment provider, which the page lists.
        var payment = JsonSerializer.Serialize(new { paymentId = "web-pay-1", accountId = "web-cash-out-fan", amountFen = 10_000, status = "succeeded" });
        using (var provider = host.Client())
        using (var notification = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/notifications") { Content = new StringContent(payment, System.Text.Encoding.UTF8, "application/json") })
        {
            notification.Headers.TryAddWithoutValidation(PaymentSignature.Header, PaymentSignature.Sign(ApiHost.PaymentSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), payment));
            Expect(HttpStatusCode.OK, await provider.SendAsync(notification));
        }

        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(token);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-cash-out-fan (fan)"));

        Browser.FindElement(By.Id("withdraw-amount")).SendKeys("1.234");
        Browser.FindElement(By.Id("withdraw-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("withdraw-result")).Text.StartsWith("invalid_amount", StringComparison.Ordinal));
        Browser.FindElement(By.Id("withdraw-amount")).Clear();
        Browser.FindElement(By.Id("withdraw-amount")).SendKeys("150.5");
        Browser.FindElement(By.Id("withdraw-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("withdraw-result")).Text == "150.50 CNY held until an operator pays it out");
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text == "cash (CNY) 449.50 0.00 150.50"));
        wait.Until(d => d.FindElements(By.CssSelector("#top-ups tbody tr")).Any(r => r.Text.EndsWith("web-pay-1 100.00", StringComparison.Ordinal)));
        wait.Until(d => d.FindElements(By.CssSelector("#adjustments tbody tr")).Any(r => r.Text.EndsWith("+500.00 Opening credit", StringComparison.Ordinal)));
        wait.Until(d => d.FindElements(By.CssSelector("#withdrawals tbody tr")).Any(r => r.Text.Contains("150.50 pending")));

        Browser.FindElement(By.Id("logout")).Click();
        Browser.FindElement(By.Id("api-key")).SendKeys(host.OperatorToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#pending-withdrawals tbody tr")).Any(r => r.Text.Contains("web-cash-out-fan 150.50")));
        Browser.FindElements(By.CssSelector("#pending-withdrawals tbody tr")).First(r => r.Text.Contains("web-cash-out-fan"))
            .FindElements(By.TagName("button")).First(b => b.Text == "paid…").Click();
        var prompt = wait.Until(d => AlertIsOpen(d))!;
        prompt.SendKeys("bank 5521");
        prompt.Accept();

        wait.Until(d => !d.FindElements(By.CssSelector("#pending-withdrawals tbody tr")).Any(r => r.Text.Contains("web-cash-out-fan")));
        using var fan = host.Client(token);
        var paid = Assert.Single((await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/withdrawals")).EnumerateArray());
        Assert.Equal(("paid", "bank 5521", 15_050L), (paid.GetProperty("status").GetString(), paid.GetProperty("note").GetString(), paid.GetProperty("amountFen").GetInt64()));

        // A request made while the operator's page is open shows there without a reload (read again every 15 s).
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "later", amountFen = 1_000 }));
        Waiter(TimeSpan.FromSeconds(30)).Until(d =>
            d.FindElements(By.CssSelector("#pending-withdrawals tbody tr")).Any(r => r.Text.Contains("web-cash-out-fan 10.00")));
    }

    /// <summary>
    /// Waits up to 20 s unless told otherwise. The page redraws its tables whenever the feed or its periodic read brings
    /// news, so an element found a moment ago may be gone when its text is read: that counts as not there yet.
    /// </summary>
    /// <summary>Clicks a table row or a button in one: the page redraws its tables as data arrives, which can replace the element found.</summary>
    private static void ClickRow(WebDriverWait wait, By row) => wait.Until(d =>
    {
        d.FindElement(row).Click();
        return true;
    });

    private WebDriverWait Waiter(TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(Browser, timeout ?? TimeSpan.FromSeconds(20));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait;
    }

    private static IAlert? AlertIsOpen(IWebDriver driver)
    {
        try
        {
            return driver.SwitchTo().Alert();
        }
        catch (NoAlertPresentException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_page_shows_a_halt_and_a_new_resting_order_without_a_reload_though_nothing_trades()
    {
        await host.ListAndIssueAsync("web-quiet-star", 100, 300);
        var token = await host.CreateKeyAsync("web-quiet-fan");
        await host.FundAsync("web-quiet-fan", 100_000);
        using var fan = host.Client(token);
        using var op = host.Operator();
        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress + "#web-quiet-star");
        wait.Until(_ => Browser.ExecuteScript("return state.feed !== null && state.feed.readyState === 1") is true);

        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/celebrities/web-quiet-star/halt", new { reason = "news pending" }));
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 1 && d.FindElement(By.Id("halted")).Text.Contains("news pending"));
        Expect(HttpStatusCode.OK, await op.PostAsync("/api/v1/admin/celebrities/web-quiet-star/resume", null));
        wait.Until(d => d.FindElements(By.Id("halted")).Count == 0);

        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "rest", celebrityId = "web-quiet-star", side = "buy", priceFen = 290, quantity = 3 }));
        wait.Until(d => d.FindElements(By.CssSelector("#book tbody tr")).Any(r => r.Text.StartsWith("3 2.90", StringComparison.Ordinal)));
        await host.SettleAsync();
    }

    [Fact]
    public async Task The_page_keeps_its_tape_when_the_silo_behind_it_restarts()
    {
        await using var silo = await ApiHost.StartAsync();
        await silo.ListAndIssueAsync("web-restart-star", 1_000, 300);
        var token = await silo.CreateKeyAsync("web-restart-fan");
        await silo.FundAsync("web-restart-fan", 100_000);
        var wait = Waiter();
        Browser.Navigate().GoToUrl(silo.BaseAddress + "#web-restart-star");
        wait.Until(_ => Browser.ExecuteScript("return state.feed !== null && state.feed.readyState === 1") is true);

        await silo.RestartAsync();
        wait.Until(_ => Browser.ExecuteScript("return state.feed.readyState === 1") is true);
        using var fan = silo.Client(token);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = "after-restart", celebrityId = "web-restart-star", side = "buy", priceFen = 300, quantity = 5 }));

        wait.Until(d => d.FindElements(By.CssSelector("#tape tbody tr.trade")).Any(r => r.Text.EndsWith("3.00 5", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_page_whose_tape_was_refused_tries_again_and_then_shows_trades()
    {
        // One public feed per address: the test's own feed takes it, so the page's (from the same address) is refused.
        await using var silo = await ApiHost.StartAsync("--Exchange:Api:PublicFeedsPerAddress=1");
        await silo.ListAndIssueAsync("web-refused-star", 1_000, 300);
        var token = await silo.CreateKeyAsync("web-refused-fan");
        await silo.FundAsync("web-refused-fan", 100_000);
        using var watcher = silo.Client();
        var blocking = await watcher.GetAsync("/api/v1/feed", HttpCompletionOption.ResponseHeadersRead);
        Expect(HttpStatusCode.OK, blocking);
        var wait = Waiter(TimeSpan.FromSeconds(30));
        Browser.Navigate().GoToUrl(silo.BaseAddress + "#web-refused-star");
        wait.Until(_ => Browser.ExecuteScript("return state.feed !== null && state.feed.readyState === EventSource.CLOSED") is true);

        blocking.Dispose();
        wait.Until(_ => Browser.ExecuteScript("return state.feed.readyState === EventSource.OPEN") is true);
        using var fan = silo.Client(token);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = "after-refusal", celebrityId = "web-refused-star", side = "buy", priceFen = 300, quantity = 6 }));

        wait.Until(d => d.FindElements(By.CssSelector("#tape tbody tr.trade")).Any(r => r.Text.EndsWith("3.00 6", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_fans_page_shows_its_order_on_another_celebrity_filled_by_someone_else_without_a_reload()
    {
        await host.ListAndIssueAsync("web-away-star", 1_000, 300);
        await host.ListAndIssueAsync("web-shown-star", 1_000, 300);
        var (sellerToken, buyerToken) = await host.SellerWithTenSecondsAndBuyerAsync("web-away-star", "web-away-seller", "web-away-buyer");
        using var seller = host.Client(sellerToken);
        using var buyer = host.Client(buyerToken);
        Expect(HttpStatusCode.Created, await seller.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "rest", celebrityId = "web-away-star", side = "sell", priceFen = 290, quantity = 4 }));
        var wait = Waiter();

        // The page watches another celebrity's tape, so only the account's own feed can tell it about the fill.
        Browser.Navigate().GoToUrl(host.BaseAddress + "#web-shown-star");
        Browser.FindElement(By.Id("api-key")).SendKeys(sellerToken);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Count == 1);
        wait.Until(_ => Browser.ExecuteScript("return state.accountFeed !== null") is true);
        Expect(HttpStatusCode.Created, await buyer.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "take", celebrityId = "web-away-star", side = "buy", priceFen = 290, quantity = 4 }));

        wait.Until(d => d.FindElements(By.CssSelector("#orders tbody tr")).Count == 0);
        wait.Until(d => d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith("web-away-star (s) 6 0", StringComparison.Ordinal)));
        wait.Until(d => d.FindElements(By.CssSelector("#my-trades tbody tr")).Any(r => r.Text.Contains("web-away-star sell 2.90 4 0.35")));
        // 11.60 less the 0.35 fee, less 4 of the 10 s that cost 30.00.
        wait.Until(d => d.FindElement(By.Id("realised-gain")).Text == "gain on seconds sold so far, after fees: -0.75 CNY");

        // The CSV button's file: every trade, however many pages (one trade a page here), as the command line writes it.
        var csv = ((string?)Browser.ExecuteAsyncScript("const done = arguments[arguments.length - 1]; tradesCsv(1).then(done, e => done('failed: ' + e.message));") ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Exchange.Client.Cli.TradesCsv.Header, csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,[^,]+,web-away-star,sell,web-away-seller:\d+,4,2\.90,11\.60,0\.35,11\.25$", csv[1]);
        Assert.EndsWith(",web-away-star,buy,web-away-seller:1,10,3.00,30.00,0.00,-30.00", csv[2]);
    }

    [Fact]
    public async Task A_fan_replaces_its_key_from_the_page_sees_the_new_one_once_and_stays_signed_in()
    {
        var oldKey = await host.CreateKeyAsync("web-rotating-fan");
        await host.FundAsync("web-rotating-fan", 12_345);
        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(oldKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-rotating-fan"));

        Browser.FindElement(By.Id("replace-key")).Click();
        wait.Until(d => d.FindElement(By.Id("new-key-token")).Text.StartsWith("cx_", StringComparison.Ordinal));
        var newKey = Browser.FindElement(By.Id("new-key-token")).Text;
        Browser.Navigate().Refresh(); // signs in again from the tab's storage

        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-rotating-fan"));
        Assert.Equal(newKey, Browser.ExecuteScript("return sessionStorage.getItem('exchangeKey')"));
        Assert.False(Browser.FindElement(By.Id("new-key")).Displayed);
        using var old = host.Client(oldKey);
        await ExpectProblemAsync(await old.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_read_only_key_shows_the_wallet_and_offers_nothing_that_would_change_it()
    {
        await host.CreateKeyAsync("web-ro-fan");
        await host.FundAsync("web-ro-fan", 54_321);
        using var op = host.Operator();
        var created = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "web-ro-fan", role = "fan", readOnly = true });
        var readOnlyKey = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(readOnlyKey);
        Browser.FindElement(By.Id("login-button")).Click();

        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-ro-fan (fan, read-only)")
            && d.FindElements(By.CssSelector("#wallet tbody tr")).Any(r => r.Text.StartsWith("cash (CNY) 543.21", StringComparison.Ordinal)));
        Assert.False(Browser.FindElement(By.Id("order-form")).Displayed);
        Assert.False(Browser.FindElement(By.Id("withdraw-form")).Displayed);
        Assert.False(Browser.FindElement(By.Id("cancel-all")).Displayed);
        Assert.False(Browser.FindElement(By.Id("replace-key")).Displayed);
        Assert.True(Browser.FindElement(By.Id("trades-csv")).Displayed);
        Browser.FindElement(By.Id("logout")).Click();
        wait.Until(d => d.FindElement(By.Id("api-key")).Displayed);
    }

    [Fact]
    public async Task A_fan_follows_a_celebrity_with_its_star_which_lists_it_first_and_unfollows_it()
    {
        await host.ListAndIssueAsync("web-traded-star", 10, 100);
        await host.ListAndIssueAsync("web-zz-followed", 10, 100); // sorts last among untraded books by name
        var fanKey = await host.CreateKeyAsync("web-follower");
        await host.FundAsync("web-follower", 10_000);
        using var fan = host.Client(fanKey);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "t", celebrityId = "web-traded-star", side = "buy", type = "market", quantity = 1 }));
        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(fanKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-follower")
            && d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-zz-followed'] button.star")).Count == 1);

        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-zz-followed'] button.star"));
        wait.Until(d => d.FindElement(By.CssSelector("#celebrities tbody tr")).GetAttribute("data-id") == "web-zz-followed"
            && d.FindElement(By.CssSelector("#celebrities tbody tr button.star")).Text == "★");
        var followed = await fan.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/v1/me/favourites");
        Assert.Equal(["web-zz-followed"], followed!.Select(c => c.GetProperty("celebrityId").GetString()));
        Assert.DoesNotContain("selected", Browser.FindElement(By.CssSelector("#celebrities tbody tr[data-id='web-zz-followed']")).GetAttribute("class") ?? ""); // the star did not open it

        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-zz-followed'] button.star"));
        wait.Until(d => d.FindElement(By.CssSelector("#celebrities tbody tr[data-id='web-zz-followed'] button.star")).Text == "☆"
            && d.FindElement(By.CssSelector("#celebrities tbody tr")).GetAttribute("data-id") != "web-zz-followed");
        Assert.Empty((await fan.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/v1/me/favourites"))!);
        Browser.FindElement(By.Id("logout")).Click();
        wait.Until(d => d.FindElement(By.Id("api-key")).Displayed);
    }

    [Fact]
    public async Task A_fan_makes_a_read_only_key_for_an_app_on_the_page_and_revokes_it_there()
    {
        var fanKey = await host.CreateKeyAsync("web-app-fan");
        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(fanKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-app-fan"));

        Browser.FindElement(By.Id("add-app-key")).Click();
        wait.Until(d => d.FindElement(By.Id("app-key-token")).Text.StartsWith("cx_", StringComparison.Ordinal)
            && d.FindElements(By.CssSelector("#app-keys tbody tr")).Count == 1);
        var appToken = Browser.FindElement(By.Id("app-key-token")).Text;
        using var app = host.Client(appToken);
        Expect(HttpStatusCode.OK, await app.GetAsync("/api/v1/wallet"));
        await ExpectProblemAsync(await app.DeleteAsync("/api/v1/orders"), HttpStatusCode.Forbidden, "read_only_key");

        ClickRow(wait, By.CssSelector("#app-keys tbody tr button"));
        wait.Until(d => d.FindElements(By.CssSelector("#app-keys tbody tr")).Count == 0 && !d.FindElement(By.Id("app-key-new")).Displayed);
        await ExpectProblemAsync(await app.GetAsync("/api/v1/wallet"), HttpStatusCode.Unauthorized, "unauthorized");
        Browser.FindElement(By.Id("logout")).Click();
        wait.Until(d => d.FindElement(By.Id("api-key")).Displayed);
    }

    [Fact]
    public async Task A_key_replacement_whose_answer_is_lost_leaves_the_page_on_the_new_key()
    {
        var oldKey = await host.CreateKeyAsync("web-lost-rotation");
        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(oldKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-lost-rotation"));
        // The request reaches the exchange and is done; its answer is lost, as when a connection drops.
        Browser.ExecuteScript("""
            const realFetch = window.fetch;
            window.fetch = async (path, options) => {
              const response = await realFetch(path, options);
              if (path === '/api/v1/me/key') { window.fetch = realFetch; throw new TypeError('Failed to fetch'); }
              return response;
            };
            """);

        Browser.FindElement(By.Id("replace-key")).Click();
        wait.Until(d => d.FindElement(By.Id("new-key-token")).Text.StartsWith("cx_", StringComparison.Ordinal));

        var newKey = Browser.FindElement(By.Id("new-key-token")).Text;
        Assert.Equal(newKey, Browser.ExecuteScript("return sessionStorage.getItem('exchangeKey')"));
        using var fresh = host.Client(newKey);
        var me = await fresh.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("web-lost-rotation", me.GetProperty("accountId").GetString());
        using var old = host.Client(oldKey);
        await ExpectProblemAsync(await old.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_link_opens_its_celebrity_and_a_click_on_a_book_level_fills_the_order_form()
    {
        await host.ListAndIssueAsync("web-link-star", 100, 300);
        var wait = Waiter();

        Browser.Navigate().GoToUrl(new Uri(host.BaseAddress, "/#web-link-star"));
        wait.Until(d => d.FindElement(By.Id("selected-name")).Text == "web link star");
        wait.Until(d => d.FindElements(By.CssSelector("#book tbody td.level")).Count > 0);

        Browser.FindElements(By.CssSelector("#book tbody td.level")).First(cell => cell.Text == "3.00").Click();

        Assert.Equal("buy", Browser.FindElement(By.Id("order-side")).GetDomProperty("value"));
        Assert.Equal("3.00", Browser.FindElement(By.Id("order-price")).GetDomProperty("value"));
        Assert.EndsWith("#web-link-star", Browser.Url, StringComparison.Ordinal);

        // The filter takes a category as well as a name.
        using (var op = host.Operator())
        {
            Expect(HttpStatusCode.Created, await op.PostAsJsonAsync("/api/v1/admin/celebrities",
                new { celebrityId = "web-athlete", displayName = "web athlete", category = "athlete", agentId = "agent-web-athlete", followers = 50_000, averageViewsPerPost = 20_000 }));
        }

        Browser.Navigate().Refresh();
        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-athlete']")).Count == 1);
        Browser.FindElement(By.Id("filter")).SendKeys("athlete");
        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-link-star']")).Count == 0);
        Assert.Single(Browser.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-athlete']")));
    }

    [Fact]
    public async Task A_celebrity_publishes_a_slot_and_manages_its_booking_from_the_page()
    {
        await host.ListAndIssueAsync("web-celeb", 1_000, 10);
        var celebrityKey = await host.CreateKeyAsync("web-celeb", "celebrity");
        using var fan = await host.FanWithSecondsAsync("web-celeb", "web-caller", 600);
        var wait = Waiter();
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException)); // the slots table is redrawn after each action

        Browser.Navigate().GoToUrl(new Uri(host.BaseAddress, "/#web-celeb"));
        Browser.FindElement(By.Id("api-key")).SendKeys(celebrityKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-celeb (celebrity)"));
        wait.Until(d => d.FindElement(By.Id("payouts")).Text == "payout:web-celeb: 0.00 CNY"); // its agent is the one paid
        Browser.FindElement(By.Id("withdraw-amount")).SendKeys("1.00"); // asked of the payout account, which holds nothing
        Browser.FindElement(By.Id("withdraw-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("withdraw-result")).Text.StartsWith("insufficient_funds: Only 0.00", StringComparison.Ordinal));
        // Money reaching the payout account shows without a reload: the page follows that account's feed.
        wait.Until(_ => Browser.ExecuteScript("return state.accountFeed !== null") is true);
        await host.FundAsync("payout:web-celeb", 500);
        wait.Until(d => d.FindElement(By.Id("payouts")).Text == "payout:web-celeb: 5.00 CNY");
        wait.Until(d => d.FindElement(By.Id("selected-name")).Text == "web celeb");
        Browser.FindElement(By.Id("slot-id")).SendKeys("call-1");
        Browser.FindElement(By.Id("slot-details")).SendKeys("https://meet.example/web-celeb");
        var start = DateTime.Now.AddDays(5).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Browser.ExecuteScript($"document.getElementById('slot-start').value = '{start}';");
        Browser.FindElement(By.Id("publish-submit")).Click();
        wait.Until(d => d.FindElement(By.Id("publish-result")).Text == "published call-1: 600 s a booking");
        wait.Until(d => d.FindElements(By.CssSelector("#my-slots tbody tr")).Any(r => r.Text.StartsWith("call-1 videoCall", StringComparison.Ordinal) && r.Text.Contains("open")));
        // Times are shown in UTC, even one stored with another offset (slots published before starts were kept in UTC).
        Assert.Equal("2026-12-03 11:00", Browser.ExecuteScript("return minuteUtc('2026-12-03T19:00:00+08:00')"));

        // The booking shows without a reload: the page follows the celebrity's slot feed.
        wait.Until(_ => Browser.ExecuteScript("return state.slotFeed !== null") is true);
        Expect(HttpStatusCode.Created, await fan.PostAsync("/api/v1/celebrities/web-celeb/slots/call-1/booking", null));
        wait.Until(d => d.FindElements(By.CssSelector("#my-slots tbody tr")).Any(r => r.Text.Contains("booked web-caller https://meet.example/web-celeb")));
        var booked = await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/celebrities/web-celeb/slots");
        Assert.Equal("https://meet.example/web-celeb", booked.EnumerateArray().Single().GetProperty("joiningDetails").GetString());

        // A call five days away cannot have happened yet: the refusal shows and the slot stays booked.
        wait.Until(d => Click(d.FindElements(By.CssSelector("#my-slots tbody button")).Single(b => b.Text == "fulfilled")));
        wait.Until(d => d.FindElement(By.Id("publish-result")).Text.Contains(':') && !d.FindElement(By.Id("publish-result")).Text.Contains("done"));
        wait.Until(d => d.FindElements(By.CssSelector("#my-slots tbody tr")).Any(r => r.Text.Contains("booked web-caller")));

        wait.Until(d => Click(d.FindElements(By.CssSelector("#my-slots tbody button")).Single(b => b.Text == "cancel")));
        wait.Until(d => d.FindElements(By.CssSelector("#my-slots tbody tr")).Any(r => r.Text.Contains("cancelled web-caller")));
        Directory.CreateDirectory(Screenshots);
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "celebrity-slots.png"));
        var holding = (await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/wallet")).GetProperty("holdings")
            .EnumerateArray().Single(h => h.GetProperty("celebrityId").GetString() == "web-celeb");
        Assert.Equal((600L, 0L), (holding.GetProperty("available").GetInt64(), holding.GetProperty("heldForBookings").GetInt64()));
    }

    [Fact]
    public async Task A_fan_books_a_call_and_sees_how_to_join_it_change_without_a_reload()
    {
        await host.ListAndIssueAsync("web-join-star", 10_000, 10);
        using var agent = host.Client(await host.CreateKeyAsync("agent-web-join-star", "celebrity"));
        using var buyer = await host.FanWithSecondsAsync("web-join-star", "web-joiner", 600);
        var fanKey = await host.CreateKeyAsync("web-joiner");
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync("/api/v1/celebrities/web-join-star/slots",
            new { slotId = "call", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall", joiningDetails = "https://meet.example/first" }));
        var wait = Waiter();

        Browser.Navigate().GoToUrl(host.BaseAddress + "#web-join-star");
        Browser.FindElement(By.Id("api-key")).SendKeys(fanKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-joiner (fan)"));
        ClickRow(wait, By.CssSelector("#slots tbody tr button"));
        wait.Until(d => d.FindElements(By.CssSelector("#slots tbody tr")).Any(r => r.Text.Contains("booked") && r.Text.Contains("https://meet.example/first")));
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync("/api/v1/celebrities/web-join-star/slots/call/details", new { joiningDetails = "https://meet.example/moved" }));

        // The fan's bookings feed brings the change; nothing else reads the slots again meanwhile.
        Waiter(TimeSpan.FromSeconds(10)).Until(d => d.FindElements(By.CssSelector("#slots tbody tr")).Any(r => r.Text.Contains("https://meet.example/moved")));
    }

    [Fact]
    public async Task A_celebrity_sees_a_fans_chat_arrive_answers_it_and_ends_it_on_the_page()
    {
        await host.ListAndIssueAsync("web-chatty", 1_000, 10);
        var celebrityKey = await host.CreateKeyAsync("web-chatty", "celebrity");
        using var fan = await host.FanWithSecondsAsync("web-chatty", "web-chatter", 100);
        var wait = Waiter(); // which lets a row go stale: the list of chats is redrawn every few seconds

        Browser.Navigate().GoToUrl(host.BaseAddress);
        Browser.FindElement(By.Id("api-key")).SendKeys(celebrityKey);
        Browser.FindElement(By.Id("login-button")).Click();
        wait.Until(d => d.FindElement(By.Id("who")).Text.Contains("web-chatty (celebrity)"));
        Assert.Equal("Chats to answer", Browser.FindElement(By.Id("my-chats-title")).Text);

        // A chat opened after the page loaded shows up by itself among those to answer, and a click there opens its celebrity and the chat.
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/web-chatty/chat-sessions", new { chatId = "first", seconds = 60, message = "Are you touring in spring?" }));
        // The feed of all its celebrities' chats brings it (or, opened before the feed was, the read its ready event
        // starts), well before the page's 30 s safety read.
        ClickRow(Waiter(TimeSpan.FromSeconds(10)), By.CssSelector("#my-chats tbody tr[data-id='first']"));
        wait.Until(d => d.FindElement(By.Id("selected-name")).Text == "web chatty");
        Assert.False(Browser.FindElement(By.Id("chat-form")).Displayed); // the celebrity's side answers chats, it does not open them
        wait.Until(d => d.FindElement(By.Id("chat-messages")).Text.Contains("web-chatter: Are you touring in spring?"));
        Assert.StartsWith("Waiting for web-chatty's answer", Browser.FindElement(By.Id("chat-status")).Text, StringComparison.Ordinal);

        Browser.FindElement(By.Id("chat-text")).SendKeys("Yes, from April!");
        Browser.FindElement(By.Id("chat-send")).Click();
        wait.Until(d => d.FindElement(By.Id("chat-messages")).Text.Contains("web-chatty (for web-chatty): Yes, from April!"));
        wait.Until(d => d.FindElement(By.Id("chat-status")).Text.StartsWith("Live since", StringComparison.Ordinal) && d.FindElement(By.Id("chat-text")).GetAttribute("value") == "");
        // Answered, it now waits on the fan.
        wait.Until(d => d.FindElements(By.CssSelector("#my-chats tbody tr[data-id='first']")).Any(r => r.Text.EndsWith(" web-chatter", StringComparison.Ordinal)));
        // The fan's reply arrives without a reload.
        Expect(HttpStatusCode.OK, await fan.PostAsJsonAsync("/api/v1/celebrities/web-chatty/chat-sessions/first/messages", new { text = "See you there" }));
        // The celebrity's chats feed brings it, well before the page's 30 s safety read.
        Waiter(TimeSpan.FromSeconds(10)).Until(d => d.FindElement(By.Id("chat-messages")).Text.Contains("web-chatter: See you there"));

        Browser.FindElement(By.Id("chat-end")).Click();
        wait.Until(d => d.FindElement(By.Id("chat-status")).Text.StartsWith("Ended (by the celebrity's side): used", StringComparison.Ordinal));
        wait.Until(d => d.FindElements(By.CssSelector("#chats tbody tr[data-id='first']")).Any(r => r.Text.Contains("ended 3")));
        wait.Until(d => d.FindElements(By.CssSelector("#my-chats tbody tr")).Count == 0); // nothing left to answer
        Directory.CreateDirectory(Screenshots);
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "celebrity-chat.png"));
        var chat = await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/celebrities/web-chatty/chat-sessions/first");
        var holding = (await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/wallet")).GetProperty("holdings")
            .EnumerateArray().Single(h => h.GetProperty("celebrityId").GetString() == "web-chatty");
        Assert.Equal(100 - chat.GetProperty("usedSeconds").GetInt64(), holding.GetProperty("available").GetInt64());
        Assert.Equal(0L, holding.GetProperty("heldForBookings").GetInt64());

        // A fan who will not stop: blocking it from its chat ends that chat and refuses its next, until unblocked.
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/web-chatty/chat-sessions", new { chatId = "second", seconds = 10, message = "Answer me!!" }));
        ClickRow(wait, By.CssSelector("#chats tbody tr[data-id='second']"));
        wait.Until(d => d.FindElement(By.Id("chat-messages")).Text.Contains("web-chatter: Answer me!!"));
        Browser.FindElement(By.CssSelector("#chat-block-hours option[value='168']")).Click(); // for a week
        Browser.FindElement(By.Id("chat-block")).Click();
        wait.Until(d => Regex.IsMatch(d.FindElement(By.Id("chat-block-result")).Text,
            @"^web-chatter blocked until \d{4}-\d\d-\d\d \d\d:\d\d UTC: 1 open chat\(s\) ended, new ones refused\.$"));
        wait.Until(d => d.FindElement(By.Id("chat-status")).Text.StartsWith("Ended (by the celebrity's side)", StringComparison.Ordinal));
        wait.Until(d => d.FindElements(By.CssSelector("#chat-blocks tbody tr[data-id='web-chatter']")).Count == 1);
        var ends = DateTimeOffset.Parse(Browser.FindElement(By.CssSelector("#chat-blocks tbody tr[data-id='web-chatter'] td:nth-child(4)")).Text + "Z", CultureInfo.InvariantCulture);
        Assert.InRange(ends, DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/web-chatty/chat-sessions", new { chatId = "third", seconds = 10, message = "hello?" }),
            HttpStatusCode.Forbidden, "chat_blocked");
        ClickRow(wait, By.CssSelector("#chat-blocks tbody tr[data-id='web-chatter'] button")); // the list is redrawn as chats change
        wait.Until(d => d.FindElements(By.CssSelector("#chat-blocks tbody tr")).Count == 0);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/web-chatty/chat-sessions", new { chatId = "third", seconds = 10, message = "sorry" }));
    }

    private static bool Click(IWebElement element)
    {
        element.Click();
        return true;
    }

    [Fact]
    public void The_chart_keeps_a_flat_market_mid_height_and_the_newest_candle_at_the_right_edge()
    {
        Browser.Navigate().GoToUrl(host.BaseAddress);

        // One flat candle (a single trade): mid-height, not on the bottom edge, and not stretched across the chart.
        var flat = Numbers(Browser.ExecuteScript(
            "const g = chartGeometry([{ openFen: 250, highFen: 250, lowFen: 250, closeFen: 250 }], 500, 180);" +
            "return [g.y(250), g.x(0), g.candleWidth];"));
        Assert.InRange(flat[0], 60, 120);
        Assert.InRange(flat[2], 1, 14);
        Assert.Equal(500, flat[1] + flat[2] + 2);

        // An hour of candles fits: the oldest starts inside the chart, the newest ends at its right edge, prices
        // stay between the edges.
        var hour = Numbers(Browser.ExecuteScript(
            "const candles = Array.from({ length: 60 }, (_, i) => ({ openFen: 200 + i, highFen: 205 + i, lowFen: 195 + i, closeFen: 201 + i }));" +
            "const g = chartGeometry(candles, 500, 180);" +
            "return [g.x(0), g.x(59) + g.candleWidth + 2, g.y(g.high), g.y(g.low)];"));
        Assert.True(hour[0] >= 0, $"oldest candle starts at {hour[0]}");
        Assert.Equal(500, hour[1]);
        Assert.True(hour[2] > 0 && hour[3] < 180 && hour[2] < hour[3], string.Join(", ", hour));
    }

    private static double[] Numbers(object? scriptResult) =>
        ((System.Collections.ObjectModel.ReadOnlyCollection<object>)scriptResult!).Select(Convert.ToDouble).ToArray();

    [Fact]
    public async Task A_celebrity_listed_but_not_yet_issued_shows_as_not_open_instead_of_a_zero_band()
    {
        using (var client = host.Operator())
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/admin/celebrities",
                new { celebrityId = "web-unissued", displayName = "web unissued", category = "model", agentId = "agent-web-unissued", followers = 50_000, averageViewsPerPost = 20_000 })).StatusCode);
        }

        var wait = Waiter();
        Browser.Navigate().GoToUrl(host.BaseAddress);
        wait.Until(d => d.FindElements(By.CssSelector("#celebrities tbody tr[data-id='web-unissued']")).Count == 1);
        // No price either, rather than 0.00.
        Assert.Equal("-", Browser.FindElement(By.CssSelector("#celebrities tbody tr[data-id='web-unissued'] td:nth-child(4)")).Text);
        ClickRow(wait, By.CssSelector("#celebrities tbody tr[data-id='web-unissued']"));

        wait.Until(d => d.FindElement(By.Id("quote")).Text.Contains("not open for trading"));
        Assert.DoesNotContain("band", Browser.FindElement(By.Id("quote")).Text);
    }
}
