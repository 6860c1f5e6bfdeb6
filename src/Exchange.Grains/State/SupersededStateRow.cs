using Microsoft.Extensions.Logging;

namespace Exchange.Grains.State;

/// <summary>
/// The whole-state grain-storage row a grain was kept in before it moved to its own store. The grain starts from it
/// only when its store has nothing yet; the first write to the store supersedes it, and it is then cleared so no
/// stale copy is left behind.
/// </summary>
public sealed class SupersededStateRow<T>(IPersistentState<T> row, ILogger logger)
{
    private bool _toClear;

    /// <summary>True until the state taken from the old row has been written to the new store.</summary>
    public bool HoldsUnmovedState => _toClear;

    /// <summary>The old row's state (a fresh state if there is none), for a grain its store does not know yet.</summary>
    public T Take()
    {
        _toClear = row.RecordExists;
        return row.State;
    }

    /// <summary>Call after every successful write to the store; clears the old row after the first.</summary>
    public async Task SupersededAsync(string grain)
    {
        if (!_toClear)
        {
            return;
        }

        _toClear = false;
        try
        {
            await row.ClearStateAsync();
        }
        catch (Exception exception)
        {
            // Harmless: the store is read first, so the old row is never used again.
            logger.LogWarning(exception, "Could not clear the superseded grain-state row of {Grain}", grain);
        }
    }
}
