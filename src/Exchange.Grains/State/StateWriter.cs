namespace Exchange.Grains.State;

/// <summary>
/// Group commit for one grain's state. Callers that arrive while a write is in flight share the next write, which
/// stores the latest in-memory state and so covers every change made before it started: a caller's changes are
/// durable once its task completes, and N interleaved callers cost about two writes instead of N. It also keeps
/// interleaved callers from sending two writes with the same ETag, which storage would refuse as a conflict.
/// <paramref name="beforeEachWrite"/> brings derived state up to date once per actual write, not once per caller;
/// <paramref name="afterEachWrite"/> runs only when a write succeeded, to learn what has become durable.
/// </summary>
public sealed class StateWriter<T>(IPersistentState<T> state, Action? beforeEachWrite = null, Action? afterEachWrite = null)
{
    private List<TaskCompletionSource> _waiting = [];
    private bool _writing;

    public Task WriteAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add(waiter);
        if (!_writing)
        {
            _writing = true;
            _ = PumpAsync();
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
                    beforeEachWrite?.Invoke();
                    await state.WriteStateAsync();
                    afterEachWrite?.Invoke();
                    batch.ForEach(waiter => waiter.SetResult());
                }
                catch (Exception exception)
                {
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
