using BenchmarkDotNet.Running;

namespace Qtz.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/Qtz.Benchmarks -- --filter *</c>.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        if (Firmware.FwImageGenerator.TryRun(args))
            return;
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
