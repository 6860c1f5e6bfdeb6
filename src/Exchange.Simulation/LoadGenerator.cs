using System.Diagnostics;
using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;

namespace Exchange.Simulation;

/// <summary>
/// Drives many fans over a few books with the engine benchmark's mix (70% limit orders near the top of the book,
/// 20% cancels, 10% crossing IOC and market orders), measures every request, and ends with the audit.
/// </summary>
public sealed class LoadGenerator(IMarketPort market, LoadOptions options)
{
    private long _trades;
    private int _operations;
    private int _accepted;
    private int _refused;
    private int _failed;

    public int Completed => Volatile.Read(ref _operations);

    public async Task<LoadReport> RunAsync(CancellationToken ct, IProgress<int>? progress = null)
    {
        var celebrities = Enumerable.Range(1, options.Celebrities).Select(i => $"{options.Prefix}-star-{i}").ToList();
        var fans = Enumerable.Range(1, options.Fans).Select(i => $"{options.Prefix}-fan-{i:D4}").ToList();
        await PrepareAsync(celebrities, fans, ct);

        var latencies = new List<double>[options.Concurrency];
        var cpuBefore = ProcessCpu();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(options.Duration);
        var workers = Enumerable.Range(0, options.Concurrency).Select(worker =>
        {
            latencies[worker] = new List<double>(options.Operations / options.Concurrency + 1);
            return WorkAsync(worker, celebrities, fans, latencies[worker], progress, stop.Token);
        });
        await Task.WhenAll(workers);
        clock.Stop();
        var cpu = ProcessCpu() - cpuBefore;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var audit = await market.AuditAsync(ct);
        return new LoadReport(_operations, _accepted, _refused, _failed, _trades, clock.Elapsed,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1], audit.Passed, audit.Violations, cpu);
    }

    private async Task PrepareAsync(List<string> celebrities, List<string> fans, CancellationToken ct)
    {
        foreach (var celebrity in celebrities)
        {
            await market.EnsureCelebrityAsync(celebrity, 10_000_000, options.ReferencePriceFen, ct);
        }

        // Every fan gets cash and some seconds of each book (bought from the primary offer), so sells can trade too.
        await Parallel.ForEachAsync(fans, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (fan, token) =>
        {
            await market.PrepareFanAsync(fan, 100_000_000, token);
            var wallet = await market.WalletAsync(fan, token);
            foreach (var celebrity in celebrities.Where(c => wallet.Holdings.All(h => h.CelebrityId != c)))
            {
                await market.PlaceAsync(fan, new PlaceOrderCommand($"seed-{celebrity}", celebrity, Side.Buy, OrderType.Limit, TimeInForce.ImmediateOrCancel, options.ReferencePriceFen, 500), token);
            }
        });
    }

    private async Task WorkAsync(int worker, List<string> celebrities, List<string> fans, List<double> latencies, IProgress<int>? progress, CancellationToken ct)
    {
        var random = new Random(options.Seed * 7919 + worker);
        var resting = new List<(string Fan, string OrderId)>();
        var timer = new Stopwatch();
        while (!ct.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _operations) > options.Operations)
            {
                Interlocked.Decrement(ref _operations);
                return;
            }

            var roll = random.Next(100);
            timer.Restart();
            try
            {
                if (roll < 20 && resting.Count > 0)
                {
                    var index = random.Next(resting.Count);
                    var (owner, orderId) = resting[index];
                    resting.RemoveAt(index);
                    await market.CancelAsync(owner, orderId, ct);
                    Interlocked.Increment(ref _accepted);
                }
                else
                {
                    var fan = fans[random.Next(fans.Count)];
                    var celebrity = celebrities[random.Next(celebrities.Count)];
                    var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                    var tick = Math.Max(1, options.ReferencePriceFen / 200);
                    PlaceOrderCommand order = roll < 90
                        ? new(Guid.NewGuid().ToString("N"), celebrity, side, OrderType.Limit, TimeInForce.GoodTillCancel,
                            options.ReferencePriceFen + (side == Side.Buy ? -1 : 1) * tick * random.Next(0, 6), random.Next(1, 20))
                        : roll < 95
                            ? new(Guid.NewGuid().ToString("N"), celebrity, side, OrderType.Limit, TimeInForce.ImmediateOrCancel,
                                options.ReferencePriceFen + (side == Side.Buy ? 1 : -1) * tick * 5, random.Next(1, 20))
                            : new(Guid.NewGuid().ToString("N"), celebrity, side, OrderType.Market, TimeInForce.ImmediateOrCancel, 0, random.Next(1, 20));
                    var result = await market.PlaceAsync(fan, order, ct);
                    Interlocked.Add(ref _trades, result.Fills.Count);
                    Interlocked.Increment(ref result.Succeeded ? ref _accepted : ref _refused);
                    if (result.Order is { State: OrderState.Open or OrderState.PartiallyFilled } open)
                    {
                        resting.Add((fan, open.OrderId));
                    }
                }

                latencies.Add(timer.Elapsed.TotalMilliseconds);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Interlocked.Decrement(ref _operations);
                return;
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _failed);
            }

            progress?.Report(Completed);
        }
    }

    /// <summary>
    /// On a machine the generator shares with the exchange, what it spends itself is taken from what it measures;
    /// reported so that figures from such a machine can be read for what they are.
    /// </summary>
    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
