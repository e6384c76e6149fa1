using System.Security.Cryptography;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Mtd;

/// <summary><c>qtz mtd</c> through the real binary: good paths, and bad input → exit 2, one line, image unchanged.</summary>
public sealed class MtdCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _image;

    public MtdCliTests()
    {
        _image = _dir.File("flash.img");
        var created = QtzBinary.Run("mtd", "info", "--image", _image, "--create", "1MiB");
        Assert.Equal(0, created.ExitCode);
    }

    public void Dispose() => _dir.Dispose();

    private byte[] Hash() => SHA256.HashData(File.ReadAllBytes(_image));

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["mtd", "read", "--offset", "1MiB", "--length", "1"], "past the end" },
        { ["mtd", "erase", "--offset", "100", "--length", "4KiB", "--allow-write"], "not aligned" },
        { ["mtd", "erase", "--offset", "0", "--length", "4KiB"], "read-only" },
        { ["mtd", "erase", "--offset", "0", "--length", "4KiB", "--allow-write", "--device", "boot", "--parts", "mtdparts=qcom_scm_storage:64k(boot)ro,-(rest)"], "read-only" },
        { ["mtd", "erase", "--offset", "0", "--length", "4KiB", "--allow-write", "--device", "odd", "--parts", "mtdparts=qcom_scm_storage:6k(odd),-(rest)"], "read-only" },
        { ["mtd", "erase", "--offset", "0x1000", "--length", "2MiB", "--allow-write"], "past the end" },
        { ["mtd", "read", "--offset", "zz", "--length", "1"], "--offset 'zz'" },
        { ["mtd", "info", "--parts", "mtdparts=qcom_scm_storage:0(a)"], "partition has size 0" },
        { ["mtd", "erase", "--offset", "0", "--length", "4KiB", "--allow-write", "--power-cut-at", "200%"], "percentage" },
        { ["mtd", "info", "--tz-write", "replace"], "--tz-write" },
        { ["mtd", "info", "--device", "mtd7"], "" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gets_one_line_exit_2_and_leaves_the_image_unchanged(string[] args, string message)
    {
        var before = Hash();
        var result = QtzBinary.Run([.. args, "--image", _image]);
        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("qtz: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(message, lines[0], StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public void Writing_without_allow_write_is_refused_and_changes_nothing()
    {
        var data = _dir.File("data.bin");
        File.WriteAllBytes(data, new byte[100]);
        var before = Hash();
        var result = QtzBinary.Run("mtd", "write", "--image", _image, "--offset", "0", data);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--allow-write", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(0)]
    [InlineData(3 << 20)]
    public void A_wrongly_sized_image_is_bad_input(int size)
    {
        var image = _dir.File($"bad{size}.img");
        File.WriteAllBytes(image, new byte[size]);
        var result = QtzBinary.Run("mtd", "info", "--image", image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a NOR flash image must be a power of two", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(new byte[size], File.ReadAllBytes(image));
    }

    [Fact]
    public void A_missing_image_or_a_directory_is_bad_input()
    {
        Assert.Equal(2, QtzBinary.Run("mtd", "info", "--image", _dir.File("none.img")).ExitCode);
        Assert.Equal(2, QtzBinary.Run("mtd", "info", "--image", _dir.Path).ExitCode);
        Assert.Equal(2, QtzBinary.Run("mtd", "info", "--image", _image, "--create", "1MiB").ExitCode);
    }

    [Fact]
    public void Copy_then_read_back_gives_the_file_and_info_reports_the_devices()
    {
        var data = _dir.File("fw.bin");
        File.WriteAllBytes(data, RandomNumberGenerator.GetBytes(20_000));
        var copy = QtzBinary.Run("mtd", "copy", data, "--image", _image, "--offset", "0x10000", "--allow-write", "--tz-write", "erase-program");
        Assert.Equal(0, copy.ExitCode);
        var back = _dir.File("back.bin");
        Assert.Equal(0, QtzBinary.Run("mtd", "read", "--image", _image, "--offset", "64KiB", "--length", "20000", "-o", back).ExitCode);
        Assert.Equal(File.ReadAllBytes(data), File.ReadAllBytes(back));
        var info = QtzBinary.Run("mtd", "info", "--image", _image, "--json", "--parts", "mtdparts=qcom_scm_storage:64k(boot),-(rest)");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("\"name\": \"boot\"", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"nor\"", info.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_power_cut_during_copy_is_reported_and_a_later_copy_repairs_it()
    {
        var data = _dir.File("fw.bin");
        File.WriteAllBytes(data, RandomNumberGenerator.GetBytes(40_000));
        var cut = QtzBinary.Run("mtd", "copy", data, "--image", _image, "--allow-write", "--power-cut-at", "60%");
        Assert.Equal(1, cut.ExitCode);
        Assert.Contains("power cut at 60%", cut.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(File.ReadAllBytes(data), File.ReadAllBytes(_image)[..40_000]);
        Assert.Equal(0, QtzBinary.Run("mtd", "copy", data, "--image", _image, "--allow-write").ExitCode);
        Assert.Equal(File.ReadAllBytes(data), File.ReadAllBytes(_image)[..40_000]);
    }

    [Theory]
    [InlineData("read")]
    [InlineData("page")]
    [InlineData("stress")]
    [InlineData("torture")]
    [InlineData("speed")]
    public void The_kernel_tests_run_through_the_tool(string test)
    {
        var result = QtzBinary.Run("mtd", "test", test, "--image", _image, "--allow-write", "--count", "500", "--cycles", "2");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"mtd_{test}test:", result.StdOut, StringComparison.Ordinal);
        if (test == "speed") Assert.Contains("MiB/s wall-clock", result.StdOut, StringComparison.Ordinal);
    }

    private static string FlashDts(int flashes) =>
        "/dts-v1/;\n/ { soc@0 { spi@88dc000 { #address-cells = <1>; #size-cells = <0>;\n" +
        string.Concat(Enumerable.Range(0, flashes).Select(i =>
            $"flash@{i} {{ compatible = \"jedec,spi-nor\"; reg = <{i}>; partitions {{ compatible = \"fixed-partitions\"; #address-cells = <1>; #size-cells = <1>;\n" +
            "partition@0 { label = \"boot\"; reg = <0x0 0x10000>; read-only; };\n data@10000 { reg = <0x10000 0x30000>; }; }; };\n")) +
        "}; }; };\n";

    private string CompileDts(string name, string source)
    {
        var dts = _dir.File(name + ".dts");
        File.WriteAllText(dts, source);
        var dtb = _dir.File(name + ".dtb");
        Assert.Equal(0, ExternalTool.Run("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts]).ExitCode);
        return dtb;
    }

    [RequiresToolFact("dtc")]
    public void A_device_tree_lays_out_the_flash_and_its_read_only_partition_refuses_an_erase()
    {
        var dtb = CompileDts("board", FlashDts(1));
        var info = QtzBinary.Run("mtd", "info", "--image", _image, "--dtb", dtb, "--json");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("\"boot\"", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"data\"", info.StdOut, StringComparison.Ordinal);
        var before = Hash();
        var erase = QtzBinary.Run("mtd", "erase", "--image", _image, "--dtb", dtb, "--device", "boot", "--offset", "0", "--length", "4KiB", "--allow-write");
        Assert.Equal(2, erase.ExitCode);
        Assert.Contains("read-only", erase.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
        var twoFlashes = CompileDts("two", FlashDts(2));
        var ambiguous = QtzBinary.Run("mtd", "info", "--image", _image, "--dtb", twoFlashes);
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("--dt-node", ambiguous.StdErr, StringComparison.Ordinal);
        var chosen = QtzBinary.Run("mtd", "info", "--image", _image, "--dtb", twoFlashes, "--dt-node", "/soc@0/spi@88dc000/flash@1");
        Assert.Equal(0, chosen.ExitCode);
    }
}
