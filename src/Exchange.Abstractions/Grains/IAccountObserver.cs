using Exchange.Abstractions.Contracts;
using Orleans.Concurrency;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// Receives an account's changes as its wallet stores them. Best effort: an update can be lost (a silo restart, a
/// wallet moving), so a watcher re-reads the wallet when it (re)connects rather than trusting updates alone.
/// </summary>
public interface IAccountObserver : IGrainObserver
{
    [OneWay]
    Task OnAccountChanged(AccountUpdate update);
}
