using System.Net.Sockets;
using Exchange.Silo.Api;
using Npgsql;
using Orleans.Runtime;

namespace Exchange.Api.Tests;

/// <summary>Which failures the API answers 503 (retry) rather than 500 (broken).</summary>
public class TransientFailureTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new TimeoutException("Response did not arrive on time"), true },
        { new SiloUnavailableException("The target silo became unavailable"), true },
        { new OrleansException("Storage call failed", new NpgsqlException("Exception while reading from stream", new SocketException())), true },
        { new AggregateException(new TimeoutException(), new SiloUnavailableException()), true },
        { new AggregateException(new TimeoutException(), new InvalidOperationException()), false },
        { new InvalidOperationException("Collection was modified"), false },
        { new OrleansException("Grain method threw", new ArgumentException("bad")), false },
        { new NpgsqlException("duplicate key value violates unique constraint"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_failures_a_repeat_can_get_past_are_transient(Exception failure, bool transient) =>
        Assert.Equal(transient, TransientFailure.Is(failure));
}
