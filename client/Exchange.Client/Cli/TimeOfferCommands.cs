using System.CommandLine;
using System.Globalization;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// Primary issuance asked for by the celebrity's side (<c>exchange celebrity offer-time ...</c>) and decided by operators
/// (<c>exchange admin accept-offer ...</c>).
/// </summary>
public static class TimeOfferCommands
{
    public static IEnumerable<Command> ForCelebrities(CliContext cli)
    {
        var celebrity = new Argument<string>("celebrity");
        var seconds = new Argument<long>("seconds") { Description = "Seconds of time to sell to the platform", CustomParser = WholeNumber.Parser(WholeNumber.Seconds) };
        var price = new Option<long>("--price") { Required = true, Description = "Asked price in fen per second (250 = 2.50 CNY/s)", CustomParser = WholeNumber.Parser(WholeNumber.FenPerSecond) };
        var note = new Option<string?>("--note") { Description = "For the operator who decides (up to 200 characters)" };
        var offerId = new Option<string?>("--offer-id") { Description = "Repeat with the same id to be sure it is offered once" };
        var offer = new Command("offer-time", "Offer the platform time to buy; an operator accepts (the time is bought and sold on the book) or declines")
            { celebrity, seconds, price, note, offerId };
        offer.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var request = new TimeOfferRequest
            {
                OfferId = parse.GetValue(offerId) ?? Guid.NewGuid().ToString("N")[..16],
                Seconds = parse.GetValue(seconds),
                PriceFen = parse.GetValue(price),
                Note = parse.GetValue(note),
            };
            var made = await api.OfferTimeAsync(parse.GetValue(celebrity)!, request, ct);
            cli.Console.MarkupLineInterpolated($"offer {made.OfferId}: {made.Seconds} s at {Display.Yuan(made.PriceFen)} CNY/s, {made.Status} (an operator decides)");
        }));
        yield return offer;

        var listCelebrity = new Argument<string>("celebrity");
        var list = new Command("offers", "Your offers of time: those waiting first, then how the latest ended") { listCelebrity };
        list.SetAction(cli.Run(async (api, parse, ct) => cli.Console.Write(OffersTable(await api.ListOffersAsync(parse.GetValue(listCelebrity)!, ct)))));
        yield return list;

        var withdrawCelebrity = new Argument<string>("celebrity");
        var withdrawId = new Argument<string>("offer-id");
        var withdraw = new Command("withdraw-offer", "Take back an offer still waiting for an operator") { withdrawCelebrity, withdrawId };
        withdraw.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var withdrawn = await api.WithdrawOfferAsync(parse.GetValue(withdrawCelebrity)!, parse.GetValue(withdrawId)!, ct);
            cli.Console.MarkupLineInterpolated($"offer {withdrawn.OfferId} is {withdrawn.Status}");
        }));
        yield return withdraw;

        var counterCelebrity = new Argument<string>("celebrity");
        var counterId = new Argument<string>("offer-id");
        var acceptCounter = new Command("accept-counter", "Accept an operator's counter-offer: the platform buys the time on its terms") { counterCelebrity, counterId };
        acceptCounter.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var decision = await api.AcceptCounterOfferAsync(parse.GetValue(counterCelebrity)!, parse.GetValue(counterId)!, ct);
            cli.Console.MarkupLineInterpolated($"offer {decision.Offer.OfferId} accepted on the counter-offer's terms: {Terms(decision.Offer.Counter!.Seconds, decision.Offer.Counter.PriceFen)}");
        }));
        yield return acceptCounter;
    }

    private static string Terms(long seconds, long priceFen) =>
        $"{seconds} s at {Display.Yuan(priceFen)} CNY/s, {Display.Yuan(checked(seconds * priceFen))} CNY";

    public static IEnumerable<Command> ForOperators(CliContext cli)
    {
        var all = new Option<bool>("--all") { Description = "Include the latest decided offers" };
        var offers = new Command("offers", "Offers of time from every celebrity waiting for a decision") { all };
        offers.SetAction(cli.Run(async (api, parse, ct) => cli.Console.Write(OffersTable(await api.OffersToDecideAsync(parse.GetValue(all), ct)))));
        yield return offers;

        var acceptCelebrity = new Argument<string>("celebrity");
        var acceptId = new Argument<string>("offer-id");
        var acceptNote = new Option<string?>("--note") { Description = "For the celebrity's side (a contract reference, say)" };
        var accept = new Command("accept-offer", "Accept an offer of time: the treasury buys it at the asked price and offers it on the book") { acceptCelebrity, acceptId, acceptNote };
        accept.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var decision = await api.AcceptOfferAsync(parse.GetValue(acceptCelebrity)!, parse.GetValue(acceptId)!, parse.GetValue(acceptNote), ct);
            var offer = decision.Offer;
            cli.Console.MarkupLineInterpolated($"offer {offer.OfferId} accepted: {offer.Seconds} s of {offer.CelebrityId} bought for {Display.Yuan(offer.Seconds * offer.PriceFen)} CNY (issuance {offer.IssuanceId})");
            if (decision.Issuance?.Error is { } notOffered)
            {
                // Bought all the same: an asked price outside today's band cannot rest on the book yet.
                cli.Console.MarkupLineInterpolated($"[yellow]{notOffered.Code}[/]: {notOffered.Message}");
            }
        }));
        yield return accept;

        var declineCelebrity = new Argument<string>("celebrity");
        var declineId = new Argument<string>("offer-id");
        var reason = new Option<string>("--reason") { Required = true, Description = "Why (the celebrity's side sees it)" };
        var decline = new Command("decline-offer", "Decline an offer of time") { declineCelebrity, declineId, reason };
        decline.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var declined = await api.DeclineOfferAsync(parse.GetValue(declineCelebrity)!, parse.GetValue(declineId)!, parse.GetValue(reason)!, ct);
            cli.Console.MarkupLineInterpolated($"offer {declined.OfferId} of {declined.CelebrityId} is {declined.Status}");
        }));
        yield return decline;

        var counterCelebrity = new Argument<string>("celebrity");
        var counterId = new Argument<string>("offer-id");
        var counterSeconds = new Argument<long>("seconds") { Description = "Seconds the platform would buy", CustomParser = WholeNumber.Parser(WholeNumber.Seconds) };
        var counterPrice = new Option<long>("--price") { Required = true, Description = "Price in fen per second (250 = 2.50 CNY/s)", CustomParser = WholeNumber.Parser(WholeNumber.FenPerSecond) };
        var counterNote = new Option<string?>("--note") { Description = "Why (the celebrity's side sees it)" };
        var counter = new Command("counter-offer", "Answer an offer of time with other terms; the celebrity's side accepts them (celebrity accept-counter) or withdraws")
            { counterCelebrity, counterId, counterSeconds, counterPrice, counterNote };
        counter.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var request = new CounterOfferRequest { Seconds = parse.GetValue(counterSeconds), PriceFen = parse.GetValue(counterPrice), Note = parse.GetValue(counterNote) };
            var countered = await api.CounterOfferAsync(parse.GetValue(counterCelebrity)!, parse.GetValue(counterId)!, request, ct);
            cli.Console.MarkupLineInterpolated($"offer {countered.OfferId} of {countered.CelebrityId} countered: {Terms(request.Seconds, request.PriceFen)} (its side accepts or withdraws)");
        }));
        yield return counter;
    }

    public static Table OffersTable(IEnumerable<TimeOfferView> offers)
    {
        var table = new Table().AddColumns("celebrity", "offer", "by", "seconds", "CNY/s", "offered (UTC)", "status", "counter-offer", "note");
        foreach (var offer in offers)
        {
            var note = offer.Status == TimeOfferView.Pending ? offer.Note
                : offer.Status == TimeOfferView.Countered ? offer.Counter?.Note ?? offer.Note
                : offer.DecisionNote ?? offer.Note;
            var counter = offer.Counter is { } terms ? $"{terms.Seconds} s at {Display.Yuan(terms.PriceFen)}" : "";
            table.AddRow(Markup.Escape(offer.CelebrityId), Markup.Escape(offer.OfferId), Markup.Escape(offer.OfferedBy), offer.Seconds.ToString(CultureInfo.InvariantCulture),
                Display.Yuan(offer.PriceFen), offer.OfferedAt.ToString("u", CultureInfo.InvariantCulture), offer.Status, counter, Markup.Escape(note ?? ""));
        }

        return table;
    }
}
