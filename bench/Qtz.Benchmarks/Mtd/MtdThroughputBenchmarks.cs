using BenchmarkDotNet.Attributes;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.ScmStorage;

namespace Qtz.Benchmarks.Mtd;

/// <summary>
/// Sequential throughput of the whole storage stack — MTD core → ScmStorageMtd (256 KiB bounce
/// buffer) → SCM client → SMC conduit → TZ dispatcher → storage service → NOR chip (in-memory array)
/// — against a plain memory copy of the same 64 MiB in the same run. The bounce design needs two
/// copies, so the ceiling is 0.5× memcpy; targets: read ≥ 0.4×, write ≥ 0.25×. Transfers go in
/// 4 MiB requests, as /dev/mtdN does.
/// </summary>
public class MtdThroughputBenchmarks
{
    private const int Size = 64 << 20;
    private const int Request = 4 << 20;
    private StorageBoard _board = null!;
    private MtdInfo _mtd = null!;
    private byte[] _source = null!;
    private byte[] _destination = null!;

    [GlobalSetup]
    public void Setup()
    {
        _board = StorageBoard.InMemory(NorPartTable.ForSize(Size), new StorageBoardOptions { AllowWrite = true });
        _mtd = _board.Mtd.Devices[0];
        _source = new byte[Size];
        new Random(1).NextBytes(_source);
        _destination = new byte[Size];
        for (var at = 0; at < Size; at += Request) MtdCore.Write(_mtd, at, _source.AsSpan(at, Request), out _);
    }

    [GlobalCleanup]
    public void Cleanup() => _board.Dispose();

    [Benchmark(Baseline = true, Description = "memcpy 64 MiB")]
    public void Memcpy() => _source.AsSpan().CopyTo(_destination);

    [Benchmark(Description = "full-stack read 64 MiB")]
    public void Read()
    {
        for (var at = 0; at < Size; at += Request)
        {
            if (MtdCore.Read(_mtd, at, _destination.AsSpan(at, Request), out _) != 0) throw new InvalidOperationException("read failed");
        }
    }

    [Benchmark(Description = "full-stack write 64 MiB")]
    public void Write()
    {
        for (var at = 0; at < Size; at += Request)
        {
            if (MtdCore.Write(_mtd, at, _source.AsSpan(at, Request), out _) != 0) throw new InvalidOperationException("write failed");
        }
    }
}
