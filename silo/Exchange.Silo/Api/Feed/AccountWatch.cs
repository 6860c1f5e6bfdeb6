using System.Threading.Channels;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// One open account feed: the observer a wallet pushes to, renewed while the connection lasts. The renewal also
/// re-checks the caller's key, so a revoked key stops its feeds within one renewal and not only its next request.
/// </summary>
public sealed class AccountWatch(IGrainFactory grains, IWalletGrain wallet, KeyCheck keyCheck, string keyId, ILogger logger)
    : IAccountObserver, IAsyncDisposable
{
    private readonly Channel<AccountUpdate> _updates =
        Channel.CreateBounded<AccountUpdate>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private IAccountObserver? _reference;
    private Task _renewal = Task.CompletedTask;

    /// <summary>Updates in the order they arrived; completes when the key is revoked or the feed is disposed.</summary>
    public ChannelReader<AccountUpdate> Updates => _updates.Reader;

    internal async Task StartAsync()
    {
        // The reference holds this object only weakly: the open connection keeps it alive.
        _reference = grains.CreateObjectReference<IAccountObserver>(this);
        await wallet.Watch(_reference);
        // The renewal also watches again a wallet that restarted or moved to another silo and so forgot this feed; a failed
        // one is tried again at the next check (KeyCheck keeps the beat going).
        _renewal = keyCheck.EndWhenRevokedAsync(keyId, () => _updates.Writer.TryComplete(), _stop.Token, () => wallet.Watch(_reference));
    }

    public Task OnAccountChanged(AccountUpdate update)
    {
        // A slow reader loses its oldest updates rather than holding up the wallet; it re-reads the wallet on reconnect.
        _updates.Writer.TryWrite(update);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _updates.Writer.TryComplete();
        if (_reference is not null)
        {
            try
            {
                await wallet.Unwatch(_reference);
            }
            catch (Exception exception)
            {
                // The wallet forgets the feed after AccountWatching.Lifetime anyway.
                logger.LogDebug(exception, "Could not unwatch a closed account feed");
            }

            grains.DeleteObjectReference<IAccountObserver>(_reference);
        }

        _stop.Dispose();
    }
}
