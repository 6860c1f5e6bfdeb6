namespace Exchange.Grains.State;

/// <summary>
/// Group commit for one grain's state. Callers that arrive while a write is in flight share the next write, which
/// stores the latest in-memory state and so covers every change made before it started: a caller's changes are
/// durable once its task completes, and N interleaved callers cost about two writes instead of N. It also keeps
/// interleaved callers from sending two writes with the same ETag, which storage would refuse as a conflict.
/// <paramref name="writeLatest"/> stores the grain's state as it is when called: it must take what it stores
/// before it first awaits, because the grain goes on changing its state while the write is in flight.
/// <paramref name="afterFailedWrite"/> runs when a write failed (grains deactivate then, to reload what storage
/// really holds).
/// </summary>
public sealed class StateWriter(Func<Task> writeLatest, Action? afterFailedWrite = null)
{
    private List<TaskCompletionSource> _waiting = [];
    private bool _writing;
    private bool _lastWriteFailed;
    private bool _deferredChanges;
    private Task _pump = Task.CompletedTask;

    /// <summary>
    /// Completes when no write is queued or running. A deactivating grain awaits it, so no write of this activation
    /// can land after the next activation has read the state.
    /// </summary>
    public Task WhenIdleAsync() => _pump.ContinueWith(_ => { }, TaskScheduler.Current);

    /// <summary>
    /// Completes once every change made so far is in storage. Memory runs ahead of storage while a write is in flight
    /// or after one failed, so a caller about to answer from memory (say, "already applied") must wait for this: if
    /// that write then fails, the grain reloads without the change it would already have acknowledged. Deferred
    /// changes do not count: they are safe to lose by definition, and counting them made the next request pay a
    /// write of its own on top of its real one.
    /// </summary>
    public Task FlushAsync() => _writing || _lastWriteFailed ? WriteAsync() : Task.CompletedTask;

    /// <summary>
    /// Records a change that is safe to lose in a crash (it can be redone or re-derived) and so needs no write of its
    /// own: the next write carries it, and <see cref="SaveDeferredChangesAsync"/> on deactivation.
    /// </summary>
    public void Defer() => _deferredChanges = true;

    /// <summary>For a grain going idle: stores deferred changes, unless a failed write means memory is not to be trusted.</summary>
    public async Task SaveDeferredChangesAsync()
    {
        await WhenIdleAsync();
        if (_deferredChanges && !_lastWriteFailed)
        {
            await WriteAsync();
        }
    }

    public Task WriteAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add(waiter);
        if (!_writing)
        {
            _writing = true;
            _pump = PumpAsync();
        }

        return waiter.Task;
    }

    /// <summary>Runs on the grain's scheduler, so the fields need no locks: only one turn runs at a time.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (_waiting.Count > 0)
            {
                var batch = _waiting;
                _waiting = [];
                try
                {
                    _deferredChanges = false;
                    await writeLatest();
                    _lastWriteFailed = false;
                    batch.ForEach(waiter => waiter.SetResult());
                }
                catch (Exception exception)
                {
                    _lastWriteFailed = true;
                    afterFailedWrite?.Invoke();
                    batch.ForEach(waiter => waiter.SetException(exception));
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
