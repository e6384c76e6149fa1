using BenchmarkDotNet.Running;

namespace Qtz.Benchmarks;

/// <summary>
/// Every benchmark class in this assembly, each part in its own folder. Pick with BenchmarkDotNet's
/// switches, e.g. <c>dotnet run -c Release --project bench/Qtz.Benchmarks -- --filter '*Iommu*' --job short --inProcess</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
