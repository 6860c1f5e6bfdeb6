using Npgsql;
using Orleans.Storage;

namespace Exchange.Silo.Api;

/// <summary>
/// Failures a repeat of the request gets past: a silo that died or is leaving (until the cluster moves its grains), a call
/// that timed out, a lost database connection, a grain whose stored state moved on under it. The API answers them 503
/// with Retry-After rather than 500, which says the exchange itself is broken.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception exception) => exception switch
    {
        TimeoutException or OrleansMessageRejectionException or ClientNotAvailableException or InconsistentStateException => true,
        NpgsqlException database => database.IsTransient,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
