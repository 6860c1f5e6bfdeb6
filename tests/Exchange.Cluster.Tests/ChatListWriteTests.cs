using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A celebrity's list of chats is written at once when a chat opens, is answered or ends, and only a little later, once
/// for many, when messages move its counts: it would otherwise be rewritten whole with every message of every chat. A
/// cluster of its own, to shorten that wait.
/// </summary>
public sealed class ChatListWriteTests
{
    private static async Task<long> StoredVersionAsync(ExchangeCluster exchange, string celebrityId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(exchange.ConnectionString);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            "SELECT version FROM orleansstorage WHERE grainidextensionstring = @key AND graintypestring ILIKE '%inbox%'", connection);
        query.Parameters.AddWithValue("key", celebrityId);
        return Convert.ToInt64(await query.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Messages_are_written_to_the_list_together_after_a_pause_and_before_it_deactivates()
    {
        await using var exchange = await ExchangeCluster.StartAsync(settings: new Dictionary<string, string> { ["Exchange:ChatListWriteDelay"] = "00:00:02" });
        await exchange.GiveFanSecondsAsync("list-star", "list-fan", 100);
        var chat = exchange.Grains.GetGrain<IChatSessionGrain>(IChatSessionGrain.KeyOf("list-star", "c1"));
        var inbox = exchange.Grains.GetGrain<IChatInboxGrain>("list-star");
        Assert.Null((await chat.Open("list-fan", 50, "Hello")).Error);
        Assert.Null((await chat.Post("list-star", true, "Hi!")).Error); // answered: written at once
        var answered = await StoredVersionAsync(exchange, "list-star");

        for (var i = 0; i < 5; i++)
        {
            Assert.Null((await chat.Post("list-fan", false, $"message {i}")).Error);
        }

        var whileTalking = await StoredVersionAsync(exchange, "list-star");
        var listed = Assert.Single(await inbox.List(null));
        var afterPause = await Eventually.ValueAsync(() => StoredVersionAsync(exchange, "list-star"), version => version > answered);

        Assert.Equal(answered, whileTalking);
        Assert.Equal(7, listed.MessageCount); // the list is current all the same
        Assert.Equal(answered + 1, afterPause); // one write for the five

        Assert.Null((await chat.Post("list-star", true, "Bye!")).Error);
        await exchange.DeactivateIdleGrainsAsync();
        Assert.Equal(afterPause + 1, await StoredVersionAsync(exchange, "list-star")); // written as the list went away
        Assert.Equal(8, Assert.Single(await inbox.List(null)).MessageCount);

        Assert.Null((await chat.End("list-fan", false)).Error);
        Assert.Equal(afterPause + 2, await StoredVersionAsync(exchange, "list-star")); // an end at once
        await exchange.AssertAuditPassesAsync();
    }
}
