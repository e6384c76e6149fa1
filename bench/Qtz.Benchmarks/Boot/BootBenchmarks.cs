using BenchmarkDotNet.Attributes;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Platform.Boards;
using Qtz.Secure.Hypervisor;

namespace Qtz.Benchmarks.Boot;

/// <summary>
/// Issue 6 target: booting the real SA8775p set (board build + five PAS boots, QHEE mode) against
/// verifying the same five files with Qtz.Firmware (target: boot ≤ 1.5 × verify). Needs
/// ../shared/testdata/firmware; the whole-process figures (and peak RSS) come from
/// <c>/usr/bin/time -v qtz boot ... --stats</c>, reported in the README.
/// </summary>
[MemoryDiagnoser]
public class BootBenchmarks
{
    private static readonly string[] Names = ["adsp", "cdsp0", "cdsp1", "gpdsp0", "gpdsp1"];
    private string firmware = "";

    [GlobalSetup]
    public void Setup()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "..", "shared", "testdata", "firmware")))
            dir = Path.GetDirectoryName(dir);
        firmware = dir is null ? throw new InvalidOperationException("../shared/testdata/firmware not found above the benchmark") : Path.GetFullPath(Path.Combine(dir, "..", "shared", "testdata", "firmware"));
    }

    [Benchmark(Baseline = true)]
    public int VerifyFive()
    {
        var passed = 0;
        foreach (var name in Names)
        {
            using var image = FirmwareImage.Open(Path.Combine(firmware, "qcom", "sa8775p", name + ".mbn"));
            passed += FirmwareVerifier.Verify(image).Passed ? 1 : 0;
        }

        return passed;
    }

    [Benchmark]
    public int BootFive()
    {
        var board = Board.Build(new BoardOptions { FirmwareDirectory = firmware, Mode = KernelMode.Qhee });
        return board.Boot().Remoteprocs.Count(r => r.Running);
    }
}
