namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>Polls for something delivered asynchronously (stream consumers), failing with the last value after a bound.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within the time limit; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
