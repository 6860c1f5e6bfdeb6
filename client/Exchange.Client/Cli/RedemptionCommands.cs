using System.CommandLine;
using System.Globalization;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Domain.Redemption;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>Fans: slots, book-slot, cancel-booking, bookings, chat (<see cref="ChatCommands"/>). Celebrities and agents: <c>exchange celebrity ...</c>.</summary>
public static class RedemptionCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        var slotsCelebrity = new Argument<string>("celebrity");
        var all = new Option<bool>("--all") { Description = "Include closed slots" };
        var slots = new Command("slots", "Slots a celebrity has published") { slotsCelebrity, all };
        slots.SetAction(cli.Run(async (api, p, ct) => cli.Console.Write(SlotsTable(await api.ListSlotsAsync(p.GetValue(slotsCelebrity)!, p.GetValue(all), ct)))));
        yield return slots;

        yield return SlotCommand(cli, "book-slot", "Book a slot (holds the tier's seconds)", (api, c, s, ct) => api.BookSlotAsync(c, s, ct));
        yield return SlotCommand(cli, "cancel-booking", "Cancel your booking before the cut-off", (api, c, s, ct) => api.CancelBookingAsync(c, s, ct));

        var watchBookings = new Option<bool>("--watch") { Description = "Then follow the slots you booked as they change (how to join, a cancellation...)" };
        var bookings = new Command("bookings", "Your bookings") { watchBookings };
        bookings.SetAction(cli.Run(async (api, p, ct) =>
        {
            var table = new Table().AddColumns("booking", "celebrity", "slot", "kind", "start (UTC)", "seconds", "status");
            foreach (var b in await api.ListBookingsAsync(ct))
            {
                table.AddRow(Markup.Escape(b.BookingId), Markup.Escape(b.CelebrityId), Markup.Escape(b.SlotId), b.Kind.ToString(), b.Start.ToString("u", CultureInfo.InvariantCulture), b.Seconds.ToString(CultureInfo.InvariantCulture), b.Status);
            }

            cli.Console.Write(table);
            if (p.GetValue(watchBookings))
            {
                await FeedFollower.FollowAsync(cli.Console, api.WatchBookingsAsync, "connected; following your booked slots (Ctrl+C to stop)", change =>
                {
                    var slot = change.Slot!;
                    var join = slot.JoiningDetails is null ? "" : $"; how to join: {slot.JoiningDetails}";
                    cli.Console.MarkupLineInterpolated($"[yellow]SLOT[/] {slot.CelebrityId} {slot.SlotId} {slot.Kind} {slot.Start.ToString("u", CultureInfo.InvariantCulture)}: {slot.Status}{join}");
                    return true;
                }, ct);
            }
        }));
        yield return bookings;

        yield return ChatCommands.Create(cli);

        yield return CelebrityCommand(cli);
    }

    private static Command CelebrityCommand(CliContext cli)
    {
        var command = new Command("celebrity", "Commands for celebrities and their agents (celebrity key)");
        var celebrity = new Argument<string>("celebrity");
        var slotId = new Argument<string>("slot-id");
        var start = new Option<DateTimeOffset>("--start") { Required = true, Description = "Start, e.g. 2026-12-24T18:00:00Z" };
        var minutes = new Option<int>("--minutes") { Description = "Duration", DefaultValueFactory = _ => 30 };
        var kind = new Option<SlotKind>("--kind") { Description = "VideoCall or MeetUp", DefaultValueFactory = _ => SlotKind.VideoCall };
        var location = new Option<string?>("--location") { Description = "Where (meet-ups)" };
        var seconds = new Option<long?>("--seconds") { Description = "Seconds a booking holds (at least the tier minimum)", CustomParser = WholeNumber.OptionalParser(WholeNumber.Seconds) };
        var details = new Option<string?>("--details") { Description = "How to join (a video call's link, where exactly to meet): only the fan who books it sees this" };
        var publish = new Command("publish-slot", "Publish a slot") { celebrity, slotId, start, minutes, kind, location, seconds, details };
        publish.SetAction(cli.Run(async (api, p, ct) =>
        {
            var slot = await api.PublishSlotAsync(p.GetValue(celebrity)!, new PublishSlotRequest
            {
                SlotId = p.GetValue(slotId)!,
                Start = p.GetValue(start),
                DurationMinutes = p.GetValue(minutes),
                Kind = p.GetValue(kind),
                Location = p.GetValue(location),
                Seconds = p.GetValue(seconds),
                JoiningDetails = p.GetValue(details),
            }, ct);
            cli.Console.MarkupLineInterpolated($"published {slot.SlotId}: {slot.Kind} at {slot.Start:u} for {slot.Seconds} s");
        }));
        command.Subcommands.Add(publish);
        var detailsCelebrity = new Argument<string>("celebrity");
        var detailsSlot = new Argument<string>("slot-id");
        var detailsText = new Argument<string>("details") { Description = "How to join; \"\" takes them away" };
        var setDetails = new Command("slot-details", "Say how to join a slot (only the fan who books it sees this)") { detailsCelebrity, detailsSlot, detailsText };
        setDetails.SetAction(cli.Run(async (api, p, ct) =>
        {
            var slot = await api.SetJoiningDetailsAsync(p.GetValue(detailsCelebrity)!, p.GetValue(detailsSlot)!, p.GetValue(detailsText), ct);
            cli.Console.MarkupLineInterpolated($"slot {slot.SlotId}: {(slot.JoiningDetails is null ? "no joining details" : "joining details: " + slot.JoiningDetails)}");
        }));
        command.Subcommands.Add(setDetails);
        command.Subcommands.Add(SlotCommand(cli, "cancel-slot", "Withdraw an open slot or cancel a booked one", (api, c, s, ct) => api.CancelSlotAsync(c, s, ct)));
        command.Subcommands.Add(SlotCommand(cli, "fulfil", "Report the contact done (burns the held seconds)", (api, c, s, ct) => api.FulfilSlotAsync(c, s, ct)));
        var payouts = new Command("payouts", "What the platform has paid you (or the agent it pays) for your time");
        payouts.SetAction(cli.Run(async (api, _, ct) =>
        {
            var wallet = await api.GetPayoutsAsync(ct);
            var onItsWay = wallet.CashHeldForWithdrawalsFen > 0 ? $"; {Display.Yuan(wallet.CashHeldForWithdrawalsFen)} CNY asked for and on its way to you" : "";
            cli.Console.MarkupLineInterpolated($"{wallet.AccountId}: {Display.Yuan(wallet.CashAvailableFen)} CNY paid out and not yet withdrawn{onItsWay}");
        }));
        command.Subcommands.Add(payouts);
        foreach (var subcommand in CashCommands.ForPayouts(cli).Concat(TimeOfferCommands.ForCelebrities(cli)))
        {
            command.Subcommands.Add(subcommand);
        }

        command.Subcommands.Add(SlotCommand(cli, "no-show", "Report the fan absent (burns the held seconds)", (api, c, s, ct) => api.ReportNoShowAsync(c, s, ct)));
        command.Subcommands.Add(WatchSlotsCommand(cli));
        return command;
    }

    private static Command WatchSlotsCommand(CliContext cli)
    {
        var celebrity = new Argument<string>("celebrity");
        var count = new Option<int?>("--count") { Description = "Stop after this many changes" };
        var command = new Command("watch-slots", "Your slots as fans book and cancel them, live (Ctrl+C to stop)") { celebrity, count };
        command.SetAction(cli.Run(async (api, p, ct) =>
        {
            var seen = 0;
            await FeedFollower.FollowAsync(cli.Console, token => api.WatchSlotsAsync(p.GetValue(celebrity)!, token), "connected; watching the slots (Ctrl+C to stop)",
                change =>
                {
                    var slot = change.Slot!;
                    var who = slot.FanId is null ? "" : $" by {slot.FanId}";
                    cli.Console.MarkupLineInterpolated($"[yellow]SLOT[/] {slot.SlotId} {slot.Kind} {slot.Start.ToString("u", CultureInfo.InvariantCulture)}: {slot.Status}{who}");
                    return p.GetValue(count) is not { } max || ++seen < max;
                }, ct);
        }));
        return command;
    }

    private static Command SlotCommand(CliContext cli, string name, string description, Func<Api.ExchangeApiClient, string, string, CancellationToken, Task<SlotView>> act)
    {
        var celebrity = new Argument<string>("celebrity");
        var slotId = new Argument<string>("slot-id");
        var command = new Command(name, description) { celebrity, slotId };
        command.SetAction(cli.Run(async (api, p, ct) =>
        {
            var slot = await act(api, p.GetValue(celebrity)!, p.GetValue(slotId)!, ct);
            cli.Console.MarkupLineInterpolated($"slot {slot.SlotId} is now {slot.Status}");
        }));
        return command;
    }

    /// <summary>How to join shows only where the exchange gave it: to the fan who booked, and the celebrity's side.</summary>
    private static Table SlotsTable(IReadOnlyList<SlotView> slots)
    {
        var withDetails = slots.Any(s => s.JoiningDetails is not null);
        var table = new Table().AddColumns("slot", "kind", "start (UTC)", "minutes", "seconds", "location", "status");
        if (withDetails)
        {
            table.AddColumn("how to join");
        }

        foreach (var s in slots)
        {
            string[] cells = [Markup.Escape(s.SlotId), s.Kind.ToString(), s.Start.ToString("u", CultureInfo.InvariantCulture), s.Duration.TotalMinutes.ToString(CultureInfo.InvariantCulture),
                s.Seconds.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Location ?? ""), s.Status.ToString()];
            table.AddRow(withDetails ? [.. cells, Markup.Escape(s.JoiningDetails ?? "")] : cells);
        }

        return table;
    }
}
