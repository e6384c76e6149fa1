using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Cli;

/// <summary>
/// Every command that writes files, through the real binary: when it fails, no new file exists (not even a
/// temporary one) and a file already at the target keeps its bytes; when it succeeds, only the target is there.
/// </summary>
public sealed class AtomicOutputTests : IDisposable
{
    private static readonly byte[] Existing = "an older output that must survive a failed run\n"u8.ToArray();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Listing(string? directory = null) =>
        Directory.EnumerateFileSystemEntries(directory ?? _dir.Path, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(_dir.Path, p)).Order(StringComparer.Ordinal).ToArray();

    private string ExistingTarget(string name)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Existing);
        return path;
    }

    /// <summary>Runs a failing command; asserts its exit code, an unchanged directory and an untouched target.</summary>
    private void AssertFailsLeavingNothing(int exitCode, string target, params string[] arguments)
    {
        var before = Listing();
        var run = QtzBinary.Run(arguments);
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.StdErr}");
        Assert.Equal(before, Listing());
        Assert.Equal(Existing, File.ReadAllBytes(target));
    }

    private string UnsignedImage()
    {
        var path = _dir.File("unsigned.mbn");
        File.WriteAllBytes(path, new Qtz.Firmware.Writers.UnsignedImageBuilder { SegmentSizes = [8192, 1234, 500] }.Build());
        return path;
    }

    private string Keys()
    {
        Assert.Equal(0, QtzBinary.Run("fw", "keygen", "-o", _dir.File("keys")).ExitCode);
        return _dir.File("keys");
    }

    /// <summary>A split set (fw.mdt + .bNN) made by the tool itself from a signed image.</summary>
    private string SplitSet()
    {
        var signed = _dir.File("signed.mbn");
        Assert.Equal(0, QtzBinary.Run("fw", "sign", UnsignedImage(), "-o", signed, "--key", Keys()).ExitCode);
        Assert.Equal(0, QtzBinary.Run("fw", "split", signed, "-o", _dir.File("set")).ExitCode);
        return Path.Combine(_dir.File("set"), "signed.mdt");
    }

    [Fact]
    public void Fw_squash_with_a_missing_segment_file_leaves_no_output_and_keeps_the_old_one()
    {
        var mdt = SplitSet();
        File.Delete(Path.ChangeExtension(mdt, ".b03"));
        AssertFailsLeavingNothing(2, ExistingTarget("out.mbn"), "fw", "squash", mdt, "-o", _dir.File("out.mbn"));
    }

    [Fact]
    public void Fw_split_with_a_missing_segment_file_writes_no_part_of_the_set()
    {
        var mdt = SplitSet();
        File.Delete(Path.ChangeExtension(mdt, ".b03"));
        Directory.CreateDirectory(_dir.File("again"));
        var old = Path.Combine(_dir.File("again"), "signed.mdt");
        File.WriteAllBytes(old, Existing);
        AssertFailsLeavingNothing(2, old, "fw", "split", mdt, "-o", _dir.File("again"));
    }

    [Fact]
    public void Fw_split_into_a_new_directory_that_fails_leaves_no_directory()
    {
        var mdt = SplitSet();
        File.Delete(Path.ChangeExtension(mdt, ".b02"));
        var before = Listing();
        Assert.Equal(2, QtzBinary.Run("fw", "split", mdt, "-o", _dir.File("fresh")).ExitCode);
        Assert.Equal(before, Listing());
    }

    [Fact]
    public void Fw_split_that_succeeds_leaves_exactly_the_mdt_and_its_segment_files()
    {
        var mdt = SplitSet();
        Assert.Equal(["signed.b00", "signed.b01", "signed.b02", "signed.b03", "signed.b04", "signed.mdt"],
            Directory.GetFiles(Path.GetDirectoryName(mdt)!).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Fw_sign_of_a_truncated_image_leaves_no_output_and_keeps_the_old_one()
    {
        var keys = Keys();
        var truncated = _dir.File("truncated.mbn");
        File.WriteAllBytes(truncated, File.ReadAllBytes(UnsignedImage())[..0x2100]);
        AssertFailsLeavingNothing(2, ExistingTarget("signed.mbn"), "fw", "sign", truncated, "-o", _dir.File("signed.mbn"), "--key", keys);
    }

    [Fact]
    public void Fw_sign_that_fails_while_copying_segments_leaves_no_output()
    {
        var keys = Keys();
        var mdt = SplitSet();
        File.Delete(Path.ChangeExtension(mdt, ".b04"));
        AssertFailsLeavingNothing(2, ExistingTarget("resigned.mbn"), "fw", "sign", mdt, "-o", _dir.File("resigned.mbn"), "--key", keys);
    }

    [Fact]
    public void Fw_keygen_that_cannot_write_one_file_writes_none_of_the_set()
    {
        Directory.CreateDirectory(_dir.File("keys"));
        var old = Path.Combine(_dir.File("keys"), "root.crt");
        File.WriteAllBytes(old, Existing);
        Directory.CreateDirectory(Path.Combine(_dir.File("keys"), "attest.key")); // a directory where a key file goes
        AssertFailsLeavingNothing(2, old, "fw", "keygen", "-o", _dir.File("keys"));
    }

    [Fact]
    public void Dt_overlay_that_fails_keeps_the_old_output()
    {
        var ride = Path.Combine(TestPaths.ProjectDtbDirectory, "sa8775p-ride.dtb");
        AssertFailsLeavingNothing(2, ExistingTarget("x.dtb"), "dt", "overlay", "--strict", ride, "shipped:sa8775p-el2", "-o", _dir.File("x.dtb"));
    }

    [Fact]
    public void Dt_overlay_that_succeeds_replaces_the_old_output_and_leaves_nothing_else()
    {
        var ride = Path.Combine(TestPaths.ProjectDtbDirectory, "sa8775p-ride.dtb");
        var target = ExistingTarget("el2.dtb");
        var before = Listing();
        Assert.Equal(0, QtzBinary.Run("dt", "overlay", ride, "shipped:sa8775p-el2", "-o", target).ExitCode);
        Assert.Equal(before, Listing());
        Assert.NotEqual(Existing, File.ReadAllBytes(target));
    }

    [Fact]
    public void Mtd_read_past_the_end_keeps_the_old_output()
    {
        var image = _dir.File("flash.img");
        Assert.Equal(0, QtzBinary.Run("mtd", "info", "--image", image, "--create", "1MiB").ExitCode);
        AssertFailsLeavingNothing(2, ExistingTarget("dump.bin"), "mtd", "read", "--image", image, "--offset", "1MiB", "--length", "1", "-o", _dir.File("dump.bin"));
        Assert.Equal(0, QtzBinary.Run("mtd", "read", "--image", image, "--offset", "0", "--length", "4KiB", "-o", _dir.File("dump.bin")).ExitCode);
        Assert.Equal(4096, new FileInfo(_dir.File("dump.bin")).Length);
        Assert.DoesNotContain(Listing(), n => n.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Shell_coredump_into_a_missing_directory_writes_nothing_and_a_good_one_leaves_only_the_core()
    {
        var before = Listing();
        var bad = QtzBinary.Run("shell", "-c", $"rproc coredump adsp -o {_dir.File("missing/core.elf")}");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Equal(before, Listing());
        var good = QtzBinary.Run("shell", "-c", $"rproc coredump adsp -o {_dir.File("core.elf")}");
        Assert.True(good.ExitCode == 0, good.StdErr);
        Assert.Equal([.. before, "core.elf"], Listing());
    }

    [Fact]
    public void Shell_report_and_trace_that_cannot_be_written_leave_nothing()
    {
        var before = Listing();
        Assert.NotEqual(0, QtzBinary.Run("shell", "-c", "wait 1ms", "--report", _dir.File("missing/r.html")).ExitCode);
        Assert.NotEqual(0, QtzBinary.Run("shell", "-c", "wait 1ms", "--trace", _dir.File("missing/t.json")).ExitCode);
        Assert.Equal(before, Listing());
        var good = QtzBinary.Run("shell", "-c", "wait 1ms", "--report", _dir.File("r.html"), "--trace", _dir.File("t.json"));
        Assert.True(good.ExitCode == 0, good.StdErr);
        Assert.Equal([.. before, "r.html", "t.json"], Listing());
    }
}
