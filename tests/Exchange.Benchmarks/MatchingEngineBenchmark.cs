using BenchmarkDotNet.Attributes;
using Exchange.Domain.Matching;

namespace Exchange.Benchmarks;

[MemoryDiagnoser]
public class MatchingEngineBenchmark
{
    private const int OperationCount = 200_000;
    private OrderFlow.Operation[] _operations = [];
    private readonly ExecutionReport _report = new();

    [GlobalSetup]
    public void Setup() => _operations = OrderFlow.Generate(OperationCount);

    /// <summary>Reported per operation, so 1/mean is orders per second on one core.</summary>
    [Benchmark(OperationsPerInvoke = OperationCount)]
    public long RealisticMix()
    {
        var engine = new MatchingEngine();
        long fills = 0;
        foreach (var operation in _operations)
        {
            if (operation.IsCancel)
            {
                engine.Cancel(operation.CancelId);
            }
            else
            {
                engine.Place(operation.Order, _report);
                fills += _report.Fills.Count;
            }
        }

        return fills;
    }
}
