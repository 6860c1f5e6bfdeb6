namespace Exchange.Simulation;

/// <summary>
/// What a load run measured. Latencies are per request, from sending to the answer, in milliseconds.
/// <see cref="ProcessCpu"/> is the CPU time the generating process used while the operations ran.
/// </summary>
public sealed record LoadReport(
    int Operations,
    int Accepted,
    int Refused,
    int Failed,
    long Trades,
    TimeSpan Elapsed,
    double P50,
    double P95,
    double P99,
    double Max,
    bool AuditPassed,
    IReadOnlyList<string> AuditViolations,
    TimeSpan ProcessCpu)
{
    public double OperationsPerSecond => Operations / Elapsed.TotalSeconds;

    public double TradesPerSecond => Trades / Elapsed.TotalSeconds;

    public double ProcessCpuMillisecondsPerOperation => Operations == 0 ? 0 : ProcessCpu.TotalMilliseconds / Operations;

    public override string ToString() =>
        $"{Operations} operations in {Elapsed.TotalSeconds:0.0} s = {OperationsPerSecond:0} ops/s; {Trades} trades = {TradesPerSecond:0} trades/s; " +
        $"accepted {Accepted}, refused {Refused}, failed {Failed}; latency ms p50 {P50:0.0} p95 {P95:0.0} p99 {P99:0.0} max {Max:0.0}; " +
        $"audit {(AuditPassed ? "passed" : "FAILED")}; generator process CPU {ProcessCpuMillisecondsPerOperation:0.000} ms per operation";
}
