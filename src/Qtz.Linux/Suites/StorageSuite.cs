using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Qtz.Linux.Run;
using Qtz.Soc.Nor.StorageWire;

namespace Qtz.Linux.Suites;

/// <summary>
/// <c>qtz linux test storage</c>: the posted SCM storage driver (the seed, with our glue for its
/// qcom_scm half) against qtz's TZ storage service, once per TZ WRITE semantics. In the guest
/// (guest/tests/storage.sh): /proc/mtd and mtdinfo show the modelled chip, bytes the host put in
/// the image read back, the kernel's mtd_readtest/speedtest/stresstest/torturetest pass,
/// flash_erase, flashcp -v, mtd_debug, a read-modify-write through mtdblock and nandtest work. On the
/// host afterwards: the image file holds exactly what the guest wrote (an overwrite without erase
/// ANDs under program and replaces under erase-program), and the trace shows every call from EL1
/// with the driver's 72-byte header. The erase-program boot then reloads the glue with mainline's
/// 256 KiB SCM pool: reads of 252 KiB and more fail with -ENOMEM and never reach TrustZone.
/// </summary>
public sealed class StorageSuite : ILinuxSuite
{
    public const ulong FlashSize = 4 << 20;
    public const int PatternBytes = 256 << 10;
    public const ulong HostBytesOffset = 0x38_0000;
    public const int HostBytesLength = 64 << 10;
    public const ulong OverwriteOffset = 0x18_0000;
    public const ulong NandtestOffset = 0x20_0000;
    public const ulong NandtestLength = 0x1_0000;
    public const ulong RmwOffset = 300_000;
    public const string RmwText = "HELLO-QTZ-UNALIGNED";

    /// <summary>The posted driver puts its 40-byte command and 32-byte details structures before the data.</summary>
    public const long PostedHeaderBytes = 72;

    public string Name => "storage";

    public LinuxSuiteReport Run(LinuxSuiteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Cache.RequireSeedDriver();
        var report = new LinuxSuiteReport(Name);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        foreach (var semantics in new[] { TzWriteSemantics.Program, TzWriteSemantics.EraseProgram })
        {
            if (context.Cancel.IsCancellationRequested) break;
            RunOne(context, report, semantics, bug256k: semantics == TzWriteSemantics.EraseProgram);
        }

        report.Wall = wall.Elapsed;
        return report;
    }

    public static string SemanticsName(TzWriteSemantics s) => s == TzWriteSemantics.Program ? "program" : "erase-program";

    private static void RunOne(LinuxSuiteContext context, LinuxSuiteReport report, TzWriteSemantics semantics, bool bug256k)
    {
        var prefix = SemanticsName(semantics) + "/";
        context.Progress($"storage: booting with TZ WRITE = {SemanticsName(semantics)}{(bug256k ? " (then mainline's SCM pool)" : "")}");
        var dir = Directory.CreateTempSubdirectory("qtz-linux-storage-").FullName;
        try
        {
            var image = Path.Combine(dir, "nor.img");
            var random = new Random(semantics == TzWriteSemantics.Program ? 1 : 2);
            var hostBytes = new byte[HostBytesLength];
            random.NextBytes(hostBytes);
            var pattern = new byte[PatternBytes];
            random.NextBytes(pattern);
            var flash = FlashImage.Create(image, FlashSize);
            flash.Storage.Write(HostBytesOffset, hostBytes);
            var geometry = flash.Geometry;
            var script = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"SIZE={FlashSize} EB={geometry.SectorSize} PRE_OFF={HostBytesOffset} PRE_LEN={HostBytesLength} ")
                .Append(CultureInfo.InvariantCulture, $"PRE_SHA={Convert.ToHexStringLower(SHA256.HashData(hostBytes))} OVW_OFF={OverwriteOffset} BUG256K={(bug256k ? 1 : 0)}\n")
                .Append(GuestScripts.Load("storage.sh"))
                .ToString();
            var result = GuestRun.Run(new GuestRunOptions
            {
                Script = script,
                Flash = flash,
                FlashOptions = new TzStorageOptions { WriteSemantics = semantics, AllowWrite = true },
                Console = context.Console,
                Timeout = TimeSpan.FromMinutes(3),
                ExtraFiles =
                [
                    ("qtz/pattern.bin", pattern),
                    ("qtz/ovw1.bin", Enumerable.Repeat((byte)0x0F, 4096).ToArray()),
                    ("qtz/ovw2.bin", Enumerable.Repeat((byte)0xF0, 4096).ToArray()),
                ],
            }, context.Cache, context.Cancel);
            report.Boots.Add(result);
            if (result.Outcome != GuestOutcome.Exited || result.ScriptStatus != 0)
            {
                report.Check(prefix + "boot", false, $"{result.Outcome} status {result.ScriptStatus}: {string.Join(" | ", result.LastLines(3))}");
                return;
            }

            if (result.BootToInit is { } boot) report.Figures[prefix + "boot_to_init_s"] = boot.TotalSeconds;
            GuestScripts.Collect(result.Console, report, prefix);
            CheckImage(report, prefix, File.ReadAllBytes(image), pattern, semantics);
            CheckTrace(report, prefix, result, bug256k);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The image file after the run: the pattern at 0, the mtdblock text, the overwrite block, 0xFF elsewhere (nandtest's region aside).</summary>
    private static void CheckImage(LinuxSuiteReport report, string prefix, byte[] image, byte[] pattern, TzWriteSemantics semantics)
    {
        report.Check(prefix + "image_flashcp_bytes", image.AsSpan(0, pattern.Length).SequenceEqual(pattern), "the image's first 256 KiB differ from what flashcp wrote");
        report.Check(prefix + "image_mtdblock_bytes", image.AsSpan((int)RmwOffset, RmwText.Length).SequenceEqual(Encoding.ASCII.GetBytes(RmwText)), "the mtdblock write is not in the image");
        var expected = semantics == TzWriteSemantics.Program ? (byte)0x00 : (byte)0xF0;
        var block = image.AsSpan((int)OverwriteOffset, 4096);
        report.Check(prefix + "image_overwrite_without_erase", !block.ContainsAnyExcept(expected),
            $"0x0F then 0xF0 without erase left 0x{block[0]:x2}, expected 0x{expected:x2} under {SemanticsName(semantics)}");
        report.Check(prefix + "guest_overwrite_without_erase", report.Figures.GetValueOrDefault(prefix + "overwrite_byte", -1) == expected, "the guest read back another byte");
        var rmwBlock = (int)(RmwOffset & ~4095UL);
        var stray = -1;
        for (var i = pattern.Length; i < image.Length && stray < 0; i++)
        {
            if (image[i] == 0xFF) continue;
            var inRmw = i >= rmwBlock && i < rmwBlock + 4096;
            var inOverwrite = i >= (int)OverwriteOffset && i < (int)OverwriteOffset + 4096;
            var inNandtest = i >= (int)NandtestOffset && i < (int)(NandtestOffset + NandtestLength);
            if (!inRmw && !inOverwrite && !inNandtest) stray = i;
        }

        report.Check(prefix + "image_erased_elsewhere", stray < 0, $"byte 0x{stray:x} is 0x{(stray < 0 ? 0 : image[stray]):x2}, expected erased 0xFF");
    }

    private static void CheckTrace(LinuxSuiteReport report, string prefix, GuestRunResult result, bool bug256k)
    {
        var calls = result.Trace.StorageCalls;
        report.Check(prefix + "trace_storage_calls", calls.Count > 0, "no storage call reached TrustZone");
        var odd = calls.FirstOrDefault(c => c.HeaderBytes != PostedHeaderBytes && c.Command != StorageCommandId.GetInfo);
        report.Check(prefix + "trace_posted_layout", odd is null, $"a call's data is {odd?.HeaderBytes} B after its command, expected {PostedHeaderBytes}: {odd}");
        report.Figures[prefix + "storage_smcs"] = calls.Count;
        if (!bug256k) return;

        var lastInfo = calls.Select((c, i) => (c, i)).LastOrDefault(x => x.c.Command == StorageCommandId.GetInfo).i;
        var after = calls.Skip(lastInfo + 1).Where(c => c.Command == StorageCommandId.Read).ToList();
        var lines = result.Console.Where(l => l.StartsWith("qtz-bug256k: ", StringComparison.Ordinal)).ToList();
        bool Failed(string size) => lines.Any(l => l.Contains($"read {size} ", StringComparison.Ordinal) && !l.Contains("rc=0", StringComparison.Ordinal) && l.Contains("Cannot allocate memory", StringComparison.Ordinal));
        var okSmall = lines.Any(l => l.Contains("read 0x3e000 rc=0", StringComparison.Ordinal));
        report.Check(prefix + "enomem_at_252k", okSmall && Failed("0x3f000") && Failed("0x40000"), string.Join(" | ", lines));
        var largest = after.Count == 0 ? 0 : after.Max(c => c.Length);
        report.Figures[prefix + "bug256k_largest_read_reaching_tz"] = largest;
        report.Check(prefix + "enomem_never_reaches_tz", largest == 0x3e000,
            string.Create(CultureInfo.InvariantCulture, $"largest READ that reached TZ after the reload is 0x{largest:x}, expected 0x3e000: a 0x3f000 chunk needs {PostedHeaderBytes} + 0x3f000 = 0x{PostedHeaderBytes + 0x3f000:x} B, page-aligned 0x40000, the whole 256 KiB pool, which already holds the page GET_INFO grew it by"));
    }
}
