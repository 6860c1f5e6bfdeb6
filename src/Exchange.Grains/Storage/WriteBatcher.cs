using Microsoft.Extensions.Logging;

namespace Exchange.Grains.Storage;

/// <summary>
/// Group commit across grains: while one batch is being written, writes that arrive queue up and all go in the next
/// statement. Each write is still guarded by its own expected version, so one stale writer fails alone; if the
/// statement itself fails, every write in it fails and nothing of it is stored (one statement, one transaction).
/// </summary>
/// <param name="keyOf">The grain a write belongs to: at most one write per grain goes in a batch, since two writes of
/// one grain (two activations of it, briefly) could not be told apart in the statement's result.</param>
/// <param name="execute">Writes a batch and returns the new version of each grain whose version check passed.</param>
/// <param name="conflict">The error for a write whose version check failed.</param>
internal sealed class WriteBatcher<TKey, TWrite>(
    Func<TWrite, TKey> keyOf,
    Func<List<TWrite>, Task<Dictionary<TKey, long>>> execute,
    Func<TWrite, Exception> conflict,
    ILogger logger)
    where TKey : notnull
{
    /// <summary>Enough to amortize a transaction over many writes, small enough to keep one statement quick.</summary>
    private const int MaxBatch = 256;

    private sealed record Pending(TWrite Write)
    {
        public TaskCompletionSource<long> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _lock = new();
    private List<Pending> _queue = [];
    private bool _flushing;

    /// <summary>Completes with the grain's new version once its batch is stored.</summary>
    public Task<long> WriteAsync(TWrite write)
    {
        var pending = new Pending(write);
        bool startFlushing;
        lock (_lock)
        {
            _queue.Add(pending);
            startFlushing = !_flushing;
            _flushing = true;
        }

        if (startFlushing)
        {
            _ = Task.Run(FlushAsync);
        }

        return pending.Written.Task;
    }

    private async Task FlushAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var versions = await execute(batch.Select(pending => pending.Write).ToList());
                foreach (var pending in batch)
                {
                    if (versions.TryGetValue(keyOf(pending.Write), out var version))
                    {
                        pending.Written.SetResult(version);
                    }
                    else
                    {
                        pending.Written.SetException(conflict(pending.Write));
                    }
                }
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "A batch of {Count} writes failed; each writer gets the error", batch.Count);
                batch.ForEach(pending => pending.Written.SetException(exception));
            }
        }
    }

    /// <summary>Up to <see cref="MaxBatch"/> queued writes, at most one per grain; null, and flushing stops, when nothing is queued.</summary>
    private List<Pending>? TakeBatch()
    {
        lock (_lock)
        {
            if (_queue.Count == 0)
            {
                _flushing = false;
                return null;
            }

            var batch = new List<Pending>(Math.Min(_queue.Count, MaxBatch));
            var keys = new HashSet<TKey>();
            var left = new List<Pending>();
            foreach (var pending in _queue)
            {
                if (batch.Count < MaxBatch && keys.Add(keyOf(pending.Write)))
                {
                    batch.Add(pending);
                }
                else
                {
                    left.Add(pending);
                }
            }

            _queue = left;
            return batch;
        }
    }
}
