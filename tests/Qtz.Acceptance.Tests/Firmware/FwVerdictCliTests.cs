using System.Text.Json;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Firmware;

/// <summary>`fw info` and `fw verify` on each class of image Linux loads: signed, hash-only, no hash segment.</summary>
public class FwVerdictCliTests
{
    public static TheoryData<string, int, string> Classes => new()
    {
        { "ath10k/WCN3990/hw1.0/wlanmdsp.mbn", 0, "OK: all " },
        { "qcom/aic100/fw2.bin", 0, "OK: all " },
        { "qca/msbtfw11.mbn", 0, "OK: all " },
        { "ath11k/QCA6390/hw2.0/amss.bin", 1, "hash-only: all 15 segment hashes match, no signature" },
        { "ath11k/IPQ8074/hw2.0/m3_fw.mdt", 1, "hash-only: all 3 segment hashes match, no signature" },
        { "ath11k/QCA6390/hw2.0/m3.bin", 1, "no hash segment" },
    };

    [RequiresFirmwareTheory]
    [MemberData(nameof(Classes))]
    public void Info_exits_0_and_verify_gives_the_class_verdict(string file, int verifyExit, string summary)
    {
        var path = TestPaths.FirmwareFile(file);
        var info = QtzBinary.Run("fw", "info", path);
        Assert.True(info.ExitCode == 0, info.StdErr);
        var verify = QtzBinary.Run("fw", "verify", path);
        Assert.True(verify.ExitCode == verifyExit, $"exit {verify.ExitCode}: {verify.StdErr}");
        Assert.StartsWith(summary, verify.StdOut.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        if (verifyExit != 0)
            Assert.Contains(summary, Assert.Single(verify.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void Overlapping_loads_are_a_warning_in_text_and_json()
    {
        var path = TestPaths.FirmwareFile("qcom", "aic100", "fw2.bin");
        Assert.Contains("WARNING program headers 2 and 3 overlap in physical memory", QtzBinary.Run("fw", "verify", path).StdOut, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(QtzBinary.Run("fw", "info", path, "--json").StdOut);
        Assert.Contains("overlap", json.RootElement.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void Info_names_note_and_dynamic_headers_and_the_firmware_type()
    {
        var run = QtzBinary.Run("fw", "info", TestPaths.FirmwareFile("ath10k", "WCN3990", "hw1.0", "wlanmdsp.mbn"), "--json");
        using var json = JsonDocument.Parse(run.StdOut);
        var types = json.RootElement.GetProperty("programHeaders").EnumerateArray().Select(p => p.GetProperty("type").GetString()).ToList();
        Assert.Equal(["NULL", "NULL", "LOAD", "LOAD", "DYNAMIC", "LOAD", "NOTE"], types);
        Assert.Equal("wlanmdsp", json.RootElement.GetProperty("hashSegment").GetProperty("softwareIdName").GetString());
        Assert.Equal("signed", json.RootElement.GetProperty("signing").GetString());
    }

    [RequiresFirmwareFact]
    public void Verify_of_several_files_prints_a_line_each_and_a_summary_and_exits_with_the_worst()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("page.html"), "<html>not firmware</html>");
        var files = new[] { "qcom/sdm845/cdsp.mbn", "ath11k/QCA6390/hw2.0/amss.bin", "ath11k/QCA6390/hw2.0/m3.bin" }.Select(f => TestPaths.FirmwareFile(f)).ToList();
        var run = QtzBinary.Run(["fw", "verify", .. files]);
        Assert.Equal(1, run.ExitCode);
        var lines = run.StdOut.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{files[0]}: OK: all ", lines[0], StringComparison.Ordinal);
        Assert.Equal($"{files[1]}: hash-only: all 15 segment hashes match, no signature", lines[1]);
        Assert.Equal($"{files[2]}: no hash segment", lines[2]);
        Assert.Equal("3 files: 1 verified, 1 hash-only, 1 without hash segment, 0 failed, 0 refused", lines[3]);
        var withBad = QtzBinary.Run(["fw", "verify", files[0], temp.File("page.html")]);
        Assert.Equal(2, withBad.ExitCode);
        Assert.Contains($"{temp.File("page.html")}: refused: not an ELF file", withBad.StdOut, StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void A_plain_elf_signed_by_fw_sign_verifies_against_its_root_for_every_version()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, QtzBinary.Run("fw", "keygen", "-o", temp.File("keys")).ExitCode);
        var root = File.ReadAllText(Path.Combine(temp.File("keys"), "root.sha384")).Trim();
        foreach (var version in new[] { "3", "5", "6", "7" })
        {
            var signed = temp.File($"m3-v{version}.mbn");
            var sign = QtzBinary.Run("fw", "sign", TestPaths.FirmwareFile("ath11k", "QCA6390", "hw2.0", "m3.bin"), "-o", signed, "--key", temp.File("keys"), "--version", version);
            Assert.True(sign.ExitCode == 0, sign.StdErr);
            var verify = QtzBinary.Run("fw", "verify", signed, "--root-hash", root);
            Assert.True(verify.ExitCode == 0, $"v{version}: {verify.StdOut}{verify.StdErr}");
        }
    }

    [Fact]
    public void A_truncated_mbn_is_refused_as_truncated_not_as_a_split_image_missing_its_parts()
    {
        using var temp = new TempDirectory();
        var image = new Qtz.Firmware.Writers.UnsignedImageBuilder { SegmentSizes = [8192, 1234] }.Build();
        File.WriteAllBytes(temp.File("cut.mbn"), image[..0x2100]);
        var run = QtzBinary.Run("fw", "info", temp.File("cut.mbn"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("truncated at 0x2100", run.StdErr, StringComparison.Ordinal);
    }
}
