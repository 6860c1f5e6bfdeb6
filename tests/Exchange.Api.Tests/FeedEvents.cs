using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Exchange.Api.Tests;

/// <summary>An open feed (Server-Sent Events), past its <c>ready</c> event.</summary>
internal sealed class FeedEvents(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events, CancellationTokenSource timeout) : IAsyncDisposable
{
    public static async Task<FeedEvents> OpenAsync(HttpClient client, string path)
    {
        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var feed = new FeedEvents(response, events, timeout);
        feed.Ready = await feed.NextAsync("ready");
        return feed;
    }

    /// <summary>The data of the feed's <c>ready</c> event.</summary>
    public JsonElement Ready { get; private set; }

    public async Task<string?> NextTypeAsync() => await events.MoveNextAsync() ? events.Current.EventType : null;

    /// <summary>The next event, which must be of <paramref name="type"/>: its data.</summary>
    public async Task<JsonElement> NextAsync(string type)
    {
        Assert.Equal(type, await NextTypeAsync());
        return DataOf(events.Current);
    }

    /// <summary>The next event, whatever its type; null once the feed has ended.</summary>
    public async Task<(string Type, JsonElement Data)?> NextAnyAsync() =>
        await events.MoveNextAsync() ? (events.Current.EventType, DataOf(events.Current)) : null;

    /// <summary>An event's data; an event without any (a slot feed's ready event) has none to read.</summary>
    private static JsonElement DataOf(SseItem<string> item) => item.Data.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(item.Data);

    /// <summary>Reads past other events to the first that <paramref name="wanted"/> accepts; false if the feed ends first.</summary>
    public async Task<bool> SkipToAsync(Func<SseItem<string>, bool> wanted)
    {
        while (await events.MoveNextAsync())
        {
            if (wanted(events.Current))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await timeout.CancelAsync();
        response.Dispose();
        timeout.Dispose();
        try
        {
            await events.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
