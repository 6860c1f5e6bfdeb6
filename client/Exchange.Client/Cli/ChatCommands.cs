using System.CommandLine;
using System.Globalization;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// <c>exchange chat open|list|read|watch|say|end</c>: text chats paid in a celebrity's seconds. The same commands serve the fan
/// and the celebrity's side (celebrity key): the key says which side speaks.
/// </summary>
public static class ChatCommands
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("chat", "Text chats with a celebrity, paid in its seconds: open, list, read, watch, say, end; block a fan (celebrity key)");

        var celebrity = new Argument<string>("celebrity");
        var seconds = new Argument<long>("seconds")
        {
            Description = "Most seconds the chat may use (1-3600): held now, used from the celebrity's first answer, the rest returned",
            CustomParser = WholeNumber.Parser(WholeNumber.Seconds),
        };
        var message = new Argument<string>("message") { Description = "Your first message" };
        var chatId = new Option<string?>("--chat-id") { Description = "Repeat with the same id to be sure it is opened once" };
        var open = new Command("open", "Open a chat with its first message (fans)") { celebrity, seconds, message, chatId };
        open.SetAction(cli.Run(async (api, p, ct) =>
        {
            var request = new OpenChatRequest { ChatId = p.GetValue(chatId) ?? Guid.NewGuid().ToString("N")[..16], Seconds = p.GetValue(seconds), Message = p.GetValue(message)! };
            var chat = await api.OpenChatAsync(p.GetValue(celebrity)!, request, ct);
            cli.Console.MarkupLineInterpolated(
                $"chat {chat.ChatId} with {chat.CelebrityId}: {chat.HeldSeconds} s held, waiting for an answer until {Time(chat.EndsAt)} (nothing is used until then)");
        }));
        command.Subcommands.Add(open);

        var listCelebrity = new Option<string?>("--celebrity") { Description = "One celebrity's chats, ended ones too (for its side: every fan's)" };
        var list = new Command("list", "Your latest chats (a fan), or the open chats of every celebrity you act for (celebrity key)") { listCelebrity };
        list.SetAction(cli.Run(async (api, p, ct) => cli.Console.Write(ChatsTable(await api.ListChatsAsync(p.GetValue(listCelebrity), ct)))));
        command.Subcommands.Add(list);

        command.Subcommands.Add(ChatCommand(cli, "read", "A chat with its messages", [], async (api, c, id, _, ct) => await api.GetChatAsync(c, id, ct)));
        command.Subcommands.Add(WatchCommand(cli));
        var text = new Argument<string>("text");
        command.Subcommands.Add(ChatCommand(cli, "say", "Write in a chat (the celebrity side's first message starts the clock)", [text],
            async (api, c, id, p, ct) => await api.SayInChatAsync(c, id, p.GetValue(text)!, ct)));
        command.Subcommands.Add(ChatCommand(cli, "end", "End a chat: the seconds used are burned, the rest returned to the fan", [],
            async (api, c, id, _, ct) => await api.EndChatAsync(c, id, ct)));
        AddBlockCommands(cli, command);

        var answersCelebrity = new Argument<string>("celebrity");
        var answers = new Command("answers", "How quickly the celebrity answers chats: how many of its latest it answered, and how soon") { answersCelebrity };
        answers.SetAction(cli.Run(async (api, p, ct) =>
        {
            var r = await api.GetChatResponsivenessAsync(p.GetValue(answersCelebrity)!, ct);
            var said = r.DecidedChats == 0 ? "no chat answered or missed yet"
                : $"answered {r.AnsweredChats} of its last {r.DecidedChats} chats" + (r.MedianAnswerSeconds is { } median ? $", half of them within {RoughDuration(median)}" : "");
            cli.Console.MarkupLine(Markup.Escape($"{r.CelebrityId}: {said}"));
        }));
        command.Subcommands.Add(answers);
        return command;
    }

    /// <summary><c>chat block|unblock|blocked</c>: the celebrity's side stops a fan who harasses it from chatting.</summary>
    private static void AddBlockCommands(CliContext cli, Command command)
    {
        var celebrity = new Argument<string>("celebrity");
        var fan = new Argument<string>("fan") { Description = "The fan's account id" };
        var reason = new Option<string?>("--reason") { Description = "For your own records (up to 200 characters)" };
        var hours = new Option<int?>("--hours") { Description = "A block that ends by itself after this many hours (1 to 8,760); left out, until unblocked" };
        var block = new Command("block", "Stop a fan opening chats with the celebrity and booking its slots; its open chats end, paid for the time used (celebrity key)")
        {
            celebrity, fan, reason, hours,
        };
        block.SetAction(cli.Run(async (api, p, ct) =>
        {
            var result = await api.BlockChatsFromAsync(p.GetValue(celebrity)!, p.GetValue(fan)!, p.GetValue(reason), p.GetValue(hours), ct);
            cli.Console.MarkupLineInterpolated($"{result.Block.FanId} blocked from chatting with {p.GetValue(celebrity)} since {Time(result.Block.BlockedAt)} by {result.Block.BlockedBy}, {Until(result.Block)}");
            foreach (var chat in result.EndedChats)
            {
                cli.Console.MarkupLineInterpolated($"chat {chat.ChatId}: {Status(chat)}");
            }
        }));
        command.Subcommands.Add(block);

        var unblockCelebrity = new Argument<string>("celebrity");
        var unblockFan = new Argument<string>("fan");
        var unblock = new Command("unblock", "Let a blocked fan open chats with the celebrity again (celebrity key)") { unblockCelebrity, unblockFan };
        unblock.SetAction(cli.Run(async (api, p, ct) =>
        {
            await api.UnblockChatsFromAsync(p.GetValue(unblockCelebrity)!, p.GetValue(unblockFan)!, ct);
            cli.Console.MarkupLineInterpolated($"{p.GetValue(unblockFan)} may open chats with {p.GetValue(unblockCelebrity)} again");
        }));
        command.Subcommands.Add(unblock);

        var blockedCelebrity = new Argument<string>("celebrity");
        var blocked = new Command("blocked", "The fans blocked from chatting with the celebrity, latest first (celebrity key)") { blockedCelebrity };
        blocked.SetAction(cli.Run(async (api, p, ct) =>
        {
            var table = new Table().AddColumns("fan", "since", "by", "ends", "reason");
            foreach (var entry in await api.ListChatBlocksAsync(p.GetValue(blockedCelebrity)!, ct))
            {
                table.AddRow(Markup.Escape(entry.FanId), Time(entry.BlockedAt), Markup.Escape(entry.BlockedBy), Until(entry), Markup.Escape(entry.Reason ?? ""));
            }

            cli.Console.Write(table);
        }));
        command.Subcommands.Add(blocked);
    }

    private static string Until(ChatBlock block) => block.Until is { } until ? "until " + Time(until) : "until unblocked";

    private static Command ChatCommand(CliContext cli, string name, string description, Argument[] more,
        Func<Api.ExchangeApiClient, string, string, ParseResult, CancellationToken, Task<ChatView>> act)
    {
        var celebrity = new Argument<string>("celebrity");
        var chatId = new Argument<string>("chat-id");
        var command = new Command(name, description) { celebrity, chatId };
        foreach (var argument in more)
        {
            command.Arguments.Add(argument);
        }

        command.SetAction(cli.Run(async (api, p, ct) => Show(cli.Console, await act(api, p.GetValue(celebrity)!, p.GetValue(chatId)!, p, ct))));
        return command;
    }

    /// <summary>
    /// Follows a chat in a terminal from its feed: what was said so far, then each new message as it comes and each change
    /// of status, until the chat ends. After a reconnect the feed's ready event carries the chat again, and only what
    /// this terminal has not shown yet is shown. Without a chat id, the celebrity's side follows all its chats: each
    /// one opened, each message and each end, which is what an agent keeps open to answer fans.
    /// </summary>
    private static Command WatchCommand(CliContext cli)
    {
        var celebrity = new Argument<string>("celebrity");
        var chatId = new Argument<string?>("chat-id") { Arity = ArgumentArity.ZeroOrOne, Description = "Leave out to follow every chat (the celebrity's side)" };
        var command = new Command("watch", "Follow a chat: its messages as they come, until it ends; or every chat of a celebrity (Ctrl+C to stop)")
        {
            celebrity, chatId,
        };
        command.SetAction(cli.Run(async (api, p, ct) =>
        {
            try
            {
                if (p.GetValue(chatId) is { } id)
                {
                    await FollowOneAsync(cli.Console, api, p.GetValue(celebrity)!, id, ct);
                }
                else
                {
                    await FeedFollower.FollowAsync(cli.Console, token => api.WatchChatsAsync(p.GetValue(celebrity)!, token),
                        "connected; following every chat (Ctrl+C to stop)", change => ShowChange(cli.Console, change), ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: the chats go on without this terminal.
            }
        }));
        return command;
    }

    private static Task FollowOneAsync(IAnsiConsole console, Api.ExchangeApiClient api, string celebrityId, string chatId, CancellationToken ct)
    {
        var shown = 0;
        string? status = null;
        bool StillOpen(ChatView chat, IEnumerable<ChatMessage> messages)
        {
            foreach (var message in messages)
            {
                Write(console, chat, message);
                shown++;
            }

            if (chat.Status != status)
            {
                console.MarkupLineInterpolated($"chat {chat.ChatId}: {Status(chat)}");
                status = chat.Status;
            }

            return chat.IsOpen;
        }

        return FeedFollower.FollowAsync(console, token => api.WatchChatAsync(celebrityId, chatId, token), "connected; following the chat (Ctrl+C to stop)",
            change => StillOpen(change.Chat!, change.Message is { } message ? [message] : []), ct,
            ready => StillOpen(ready.Chat!, ready.Chat!.Messages.Skip(shown)));
    }

    /// <summary>One change among all a celebrity's chats, named by its chat so that the side answering knows where to reply.</summary>
    private static bool ShowChange(IAnsiConsole console, ChatFeedEvent change)
    {
        var chat = change.Chat!;
        if (change.Message is { } message)
        {
            console.MarkupInterpolated($"[grey]{chat.ChatId}[/] ");
            Write(console, chat, message);
            if (chat.MessageCount == 1)
            {
                console.MarkupLineInterpolated($"chat {chat.ChatId}: opened by {chat.FanId}; {Status(chat)}");
            }
        }
        else
        {
            console.MarkupLineInterpolated($"chat {chat.ChatId}: {Status(chat)}");
        }

        return true;
    }

    private static void Show(IAnsiConsole console, ChatView chat)
    {
        foreach (var message in chat.Messages)
        {
            Write(console, chat, message);
        }

        console.MarkupLineInterpolated($"chat {chat.ChatId}: {Status(chat)}");
    }

    private static void Write(IAnsiConsole console, ChatView chat, ChatMessage message)
    {
        var who = message.From == "fan" ? message.AuthorId : $"{message.AuthorId} (for {chat.CelebrityId})";
        console.MarkupLineInterpolated($"[grey]{Time(message.At)}[/] [bold]{who}[/]: {message.Text}");
    }

    /// <summary>What the chat costs so far, in the words a fan needs to decide whether to go on.</summary>
    private static string Status(ChatView chat) => chat.Status switch
    {
        ChatView.Waiting => $"waiting for {chat.CelebrityId}'s answer until {Time(chat.EndsAt)}; {chat.HeldSeconds} s held, none used yet",
        ChatView.Live => $"live since {Time(chat.AnsweredAt!.Value)}; {chat.UsedSeconds} of {chat.HeldSeconds} s used so far (to the last message); " +
                         (chat.EndsAt == chat.AnsweredAt!.Value.AddSeconds(chat.HeldSeconds)
                             ? $"its seconds are used up at {Time(chat.EndsAt)}"
                             : $"it ends at {Time(chat.EndsAt)} if nobody writes before"),
        _ => $"ended ({EndedBy(chat.EndedBy)}) at {Time(chat.EndedAt!.Value)}; used {chat.UsedSeconds} of {chat.HeldSeconds} s, the rest returned",
    };

    private static string EndedBy(string? endedBy) => endedBy switch
    {
        "time" => "its seconds were used up",
        "idle" => "nobody wrote for a while",
        "unanswered" => "no answer in time",
        null => "",
        _ => "by the " + endedBy,
    };

    /// <summary>A duration in the unit a person would say it in: 40 s, 12 min, 3.5 h.</summary>
    private static string RoughDuration(long seconds) => seconds switch
    {
        < 60 => $"{seconds} s",
        < 3600 => $"{(seconds + 59) / 60} min",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(seconds / 360.0) / 10} h"),
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static Table ChatsTable(IEnumerable<ChatView> chats)
    {
        var table = new Table().AddColumns("chat", "celebrity", "fan", "status", "opened (UTC)", "messages", "last word", "held s", "used s");
        foreach (var chat in chats)
        {
            table.AddRow(Markup.Escape(chat.ChatId), Markup.Escape(chat.CelebrityId), Markup.Escape(chat.FanId), chat.Status,
                chat.OpenedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture), chat.MessageCount.ToString(CultureInfo.InvariantCulture),
                chat.LastMessageFrom ?? "", chat.HeldSeconds.ToString(CultureInfo.InvariantCulture), chat.UsedSeconds.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }
}
