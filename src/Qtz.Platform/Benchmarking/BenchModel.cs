using System.Globalization;

namespace Qtz.Platform.Benchmarking;

/// <summary>The machine a run was measured on (every result line carries it).</summary>
public sealed record BenchMachine(int Cores, string CpuModel, string LoadAverage, string Os)
{
    public static BenchMachine Current()
    {
        var model = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal) || l.StartsWith("Hardware", StringComparison.Ordinal));
            if (line is not null) model = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }

        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        return new BenchMachine(Environment.ProcessorCount, model, load, System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }

    /// <summary>1-minute load average per core above 1: other work competed for the CPUs during the run.</summary>
    public bool UnderLoad =>
        double.TryParse(LoadAverage.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var one) && one > Cores;

    public override string ToString() => $"{Cores} cores, {CpuModel}, load {LoadAverage}";
}

/// <summary>One side of a comparison: what ran and how long it took (best of the repeats).</summary>
public sealed record BenchFigure(string Tool, string Command, double Seconds, double? MiBPerSecond = null, double? OperationsPerSecond = null, int ExitCode = 0);

/// <summary>
/// One headline comparison. <see cref="Ratio"/> is qtz's time over the peer's (below 1: qtz is faster);
/// null when there is no peer (in-process rates) or the entry was skipped, with <see cref="Skipped"/> saying why.
/// </summary>
public sealed record BenchResult(string Name, string Inputs, BenchMachine Machine, BenchFigure? Qtz, BenchFigure? Peer, string? Skipped = null)
{
    public double? Ratio => Qtz is { } q && Peer is { Seconds: > 0 } p ? q.Seconds / p.Seconds : null;
}

/// <summary>How to run <c>qtz bench</c>.</summary>
public sealed record BenchOptions
{
    /// <summary>The qtz executable and the arguments that precede a command (the dll when run through dotnet).</summary>
    public required (string FileName, IReadOnlyList<string> Prefix) Qtz { get; init; }

    /// <summary>Firmware image and flash image size.</summary>
    public ulong SizeBytes { get; init; } = 64UL << 20;

    /// <summary>How many device-tree blobs the dump comparison prints.</summary>
    public int DtbCount { get; init; } = 40;

    /// <summary>Each timing is the best of this many runs.</summary>
    public int Repeat { get; init; } = 3;

    /// <summary>IOMMU pages mapped (one map call each) and translated.</summary>
    public int IommuPages { get; init; } = 16384;

    public string? WorkDirectory { get; init; }

    public Action<double>? Progress { get; init; }

    public static BenchOptions Quick((string FileName, IReadOnlyList<string> Prefix) qtz) =>
        new() { Qtz = qtz, SizeBytes = 8UL << 20, DtbCount = 8, Repeat = 1, IommuPages = 2048 };
}
