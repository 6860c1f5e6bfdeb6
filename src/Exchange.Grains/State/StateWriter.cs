namespace Exchange.Grains.State;

/// <summary>
/// Serialises writes of one grain's state. Interleaved calls (settlement arriving while an order waits on its book)
/// would otherwise send two writes with the same ETag and the second would fail as a conflict. Each write stores the
/// latest in-memory state, so a caller's changes are durable once its own write completes.
/// </summary>
public sealed class StateWriter<T>(IPersistentState<T> state)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WriteAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _gate.Release();
        }
    }
}
