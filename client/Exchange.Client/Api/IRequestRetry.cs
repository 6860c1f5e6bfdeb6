namespace Exchange.Client.Api;

/// <summary>
/// How a client rides out a moment the exchange cannot answer, such as a silo restarting in a rolling upgrade.
/// <see cref="ExchangeApiClient"/> hands it only requests that are safe to repeat: reads, and writes that carry an
/// id the exchange acts on once.
/// </summary>
public interface IRequestRetry
{
    Task<T> RunAsync<T>(Func<Task<T>> request, CancellationToken ct);
}
