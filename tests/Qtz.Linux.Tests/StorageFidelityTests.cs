using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Kernel.Mtd.ScmStorage;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;
using Qtz.Soc.Nor.StorageWire;

namespace Qtz.Linux.Tests;

/// <summary>
/// Fidelity by trace: the same workload through the real posted driver (in the guest, with the glue's
/// pool sized as mainline's) and through qtz's C# driver model gives the same decoded storage calls —
/// exactly for the v2-as-posted mode, and with the named differences for the corrected driver.
/// </summary>
[Collection(GuestBoots.Name)]
public class StorageFidelityTests
{
    private const ulong Size = 4 << 20;
    private static readonly byte[] Write8K = [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))];
    private static readonly byte[] Write16 = [.. Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i))];

    /// <summary>The decoded form both sides are compared in: command, lba, length, where the data sits after the command.</summary>
    private static List<string> Decoded(IEnumerable<StorageTraceCall> calls) =>
        [.. calls.Select(c => $"{c.Command} lba={c.Lba} len=0x{c.Length:x} data={(c.HeaderBytes == 72 ? "+72" : c.DataAddress == 0 ? "null" : "elsewhere")} result={c.StorageResult}")];

    private static (List<string> Calls, List<int> Returns) Model(ScmStorageDriverVariant variant)
    {
        using var board = StorageBoard.InMemory(NorPartTable.ForSize(Size), new StorageBoardOptions { AllowWrite = true, DriverVariant = variant, WriteSemantics = TzWriteSemantics.Program });
        var trace = new GuestTrace(board.Conduit, board.Bus, null);
        // the probe happened inside the constructor, before the trace was attached: replay what it sent
        var probe = variant == ScmStorageDriverVariant.V2AsPosted ? 2 : 1;
        var mtd = board.FindDevice("mtd0")!;
        var returns = new List<int>();
        returns.Add(MtdCore.Read(mtd, 0, new byte[0x3e000], out _));
        returns.Add(MtdCore.Read(mtd, 0x1100, new byte[0x100], out _));
        for (var b = 0; b < 16; b++) returns.Add(MtdCore.Erase(mtd, new EraseInfo(0x10_0000 + ((ulong)b * 4096), 4096)));
        returns.Add(MtdCore.Write(mtd, 0x10_0000, Write8K, out _));
        returns.Add(MtdCore.Write(mtd, 0x10_2100, Write16, out _));
        returns.Add(MtdCore.Read(mtd, 0, new byte[0x50000], out _));
        var info = Enumerable.Repeat($"GetInfo lba=0 len=0x{StorageInfo.Size:x} data=+72 result=0", probe);
        return ([.. info, .. Decoded(trace.StorageCalls)], returns);
    }

    [Fact]
    public void The_v2_as_posted_model_fails_a_256_KiB_chunk_with_ENOMEM_before_any_SMC()
    {
        var (calls, returns) = Model(ScmStorageDriverVariant.V2AsPosted);
        Assert.Equal(-12, returns[^1]);
        Assert.Contains("Read lba=0 len=0x3e000 data=+72 result=0", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("Read lba=0 len=0x40000", StringComparison.Ordinal));
        Assert.All(returns.SkipLast(1), r => Assert.Equal(0, r));
    }

    [Fact]
    public void The_corrected_model_differs_from_the_posted_one_where_the_review_asked()
    {
        var posted = Model(ScmStorageDriverVariant.V2AsPosted).Calls;
        var corrected = Model(ScmStorageDriverVariant.Corrected).Calls;
        // a partial write under program semantics needs no read-back; ERASE carries no data pointer
        Assert.Contains("Read lba=258 len=0x1000 data=+72 result=0", posted);
        Assert.DoesNotContain("Read lba=258 len=0x1000 data=+72 result=0", corrected);
        Assert.Contains(corrected, c => c.StartsWith("Erase", StringComparison.Ordinal) && c.Contains("data=null", StringComparison.Ordinal));
    }

    [RequiresSeedDriverFact]
    public void The_real_posted_driver_and_the_v2_as_posted_model_make_the_same_storage_calls()
    {
        var dir = Directory.CreateTempSubdirectory("qtz-fidelity-").FullName;
        try
        {
            var image = Path.Combine(dir, "nor.img");
            var script = """
                for m in mtd mtd_blkdevs; do qtz-insmod $m; done
                qtz-insmod qtz_scm_storage_glue mainline_pool=1 && qtz-insmod qcom_scm_storage || exit 10
                mtd_debug read /dev/mtd0 0 0x3e000 /tmp/a > /dev/null || exit 11
                mtd_debug read /dev/mtd0 0x1100 0x100 /tmp/a > /dev/null || exit 16
                flash_erase -q /dev/mtd0 0x100000 16 || exit 12
                mtd_debug write /dev/mtd0 0x100000 8192 /qtz/w8k > /dev/null || exit 13
                mtd_debug write /dev/mtd0 0x102100 16 /qtz/w16 > /dev/null || exit 14
                mtd_debug read /dev/mtd0 0 0x50000 /tmp/b > /dev/null 2>&1 && exit 15
                exit 0
                """;
            var result = GuestRun.Run(new GuestRunOptions
            {
                Script = script,
                Flash = FlashImage.Create(image, Size),
                FlashOptions = new TzStorageOptions { AllowWrite = true, WriteSemantics = TzWriteSemantics.Program },
                ExtraFiles = [("qtz/w8k", Write8K), ("qtz/w16", Write16)],
                Timeout = TimeSpan.FromMinutes(2),
            }, LinuxCache.Default(), CancellationToken.None);
            Assert.True(result.Succeeded, $"{result.Outcome} {result.ScriptStatus}: {string.Join(" | ", result.LastLines(5))}");
            var real = Decoded(result.Trace.StorageCalls);
            var model = Model(ScmStorageDriverVariant.V2AsPosted).Calls;
            Assert.Equal(model, real);
            var bytes = File.ReadAllBytes(image);
            Assert.Equal(Write8K, bytes[0x10_0000..0x10_2000]);
            Assert.Equal(Write16, bytes[0x10_2100..0x10_2110]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
