using System.Buffers.Binary;
using System.Text.Json;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Firmware;

public class FwCliTests
{
    public static TheoryData<string> RealFiles => new()
    {
        "qcom/sa8775p/adsp.mbn", "qcom/sa8775p/cdsp0.mbn", "qcom/sa8775p/cdsp1.mbn", "qcom/sa8775p/gpdsp0.mbn", "qcom/sa8775p/gpdsp1.mbn",
        "qcom/sdm845/cdsp.mbn", "qcom/venus-5.2/venus.mbn", "qcom/a530_zap.mdt", "qcom/x1e80100/LENOVO/21N1/qcdxkmsuc8380.mbn",
    };

    [RequiresFirmwareTheory]
    [MemberData(nameof(RealFiles))]
    public void Verify_of_every_real_file_exits_0_with_json_saying_passed(string file)
    {
        var result = QtzBinary.Run("fw", "verify", TestPaths.FirmwareFile(file), "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.NotEmpty(json.RootElement.GetProperty("checks").EnumerateArray());
    }

    [RequiresFirmwareFact]
    public void Info_shows_version_algorithm_sw_id_signers_and_root_class()
    {
        var result = QtzBinary.Run("fw", "info", TestPaths.FirmwareFile("qcom", "x1e80100", "LENOVO", "21N1", "qcdxkmsuc8380.mbn"), "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var hash = json.RootElement.GetProperty("hashSegment");
        Assert.Equal(7, hash.GetProperty("version").GetInt32());
        Assert.Equal("SHA384", hash.GetProperty("algorithm").GetString());
        Assert.Equal("0x14", hash.GetProperty("softwareId").GetString());
        Assert.Equal(2, hash.GetProperty("index").GetInt32());
        var signer = json.RootElement.GetProperty("signers")[0];
        Assert.Equal("Production", signer.GetProperty("rootClass").GetString());
        Assert.Equal(3, signer.GetProperty("certificates").GetArrayLength());
        Assert.Equal("Hash", json.RootElement.GetProperty("programHeaders")[2].GetProperty("segmentType").GetString());
    }

    [RequiresFirmwareFact]
    public void Verify_with_the_wrong_pas_id_exits_1_naming_the_sw_id_check()
    {
        var result = QtzBinary.Run("fw", "verify", TestPaths.FirmwareFile("qcom", "sa8775p", "cdsp0.mbn"), "--pas-id", "1");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("SoftwareId", line, StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void Squash_and_split_through_the_cli_give_back_the_real_split_set()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, QtzBinary.Run("fw", "squash", TestPaths.FirmwareFile("qcom", "a530_zap.mdt"), "-o", temp.File("a530_zap.mbn")).ExitCode);
        Assert.Equal(0, QtzBinary.Run("fw", "verify", temp.File("a530_zap.mbn")).ExitCode);
        Assert.Equal(0, QtzBinary.Run("fw", "split", temp.File("a530_zap.mbn"), "-o", temp.File("split")).ExitCode);
        foreach (var name in new[] { "a530_zap.mdt", "a530_zap.b00", "a530_zap.b01", "a530_zap.b02" })
            Assert.Equal(File.ReadAllBytes(TestPaths.FirmwareFile("qcom", name)), File.ReadAllBytes(Path.Combine(temp.File("split"), name)));
    }

    [Theory]
    [InlineData("--rsa")]
    [InlineData("--p384")]
    public void Keygen_sign_verify_with_the_root_pinned_passes_for_all_four_versions(string keyType)
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, QtzBinary.Run("fw", "keygen", "-o", temp.File("keys"), keyType).ExitCode);
        var unsigned = temp.File("unsigned.mbn");
        File.WriteAllBytes(unsigned, new Qtz.Firmware.Writers.UnsignedImageBuilder { SegmentSizes = [8192, 1234] }.Build());
        var root = File.ReadAllText(Path.Combine(temp.File("keys"), "root.sha384")).Trim();
        foreach (var version in new[] { "3", "5", "6", "7" })
        {
            var signed = temp.File($"v{version}.mbn");
            var sign = QtzBinary.Run("fw", "sign", unsigned, "-o", signed, "--key", temp.File("keys"), "--version", version, "--sw-id", "0x17");
            Assert.True(sign.ExitCode == 0, sign.StdErr);
            var verify = QtzBinary.Run("fw", "verify", signed, "--root-hash", root, "--pas-id", "18");
            Assert.True(verify.ExitCode == 0, $"v{version}: {verify.StdErr}\n{verify.StdOut}");
        }

        var tampered = File.ReadAllBytes(temp.File("v6.mbn"));
        tampered[0x2000 + 100] ^= 1; // a byte of segment 2
        File.WriteAllBytes(temp.File("tampered.mbn"), tampered);
        var bad = QtzBinary.Run("fw", "verify", temp.File("tampered.mbn"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("segment 2", Assert.Single(bad.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "non-ELF", "not an ELF file" },
        { "truncated", "program-header table" },
        { "hash_size not divisible", "not divisible" },
        { "bogus DER length", "certificate" },
        { "overflowing phdr", "overflows" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_exits_2_with_one_line(string kind, string expected)
    {
        using var temp = new TempDirectory();
        var image = new Qtz.Firmware.Writers.UnsignedImageBuilder().Build();
        using var keys = Qtz.Firmware.Signing.SigningKeys.Generate(Qtz.Firmware.Signing.SigningKeyType.P384);
        using (var fw = Qtz.Firmware.Images.FirmwareImage.FromMemory(image))
            image = Qtz.Firmware.Writers.FirmwareSigner.Sign(fw, keys, new Qtz.Firmware.Writers.SignOptions { Version = 6 });
        int chainAt;
        using (var fw = Qtz.Firmware.Images.FirmwareImage.FromMemory(image))
            chainAt = (int)fw.ProgramHeaders[fw.HashSegmentIndex].Offset + Qtz.Firmware.Verification.FirmwareVerifier.Verify(fw).HashSegment!.OemChainRange.Start.Value;
        var bytes = (byte[])image.Clone();
        switch (kind)
        {
            case "non-ELF": bytes = "<html>a packaging error</html>"u8.ToArray(); break;
            case "truncated": bytes = image[..100]; break;
            case "hash_size not divisible": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0x1000 + 0x14), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x1000 + 0x14)) - 1); break;
            case "bogus DER length": bytes[chainAt + 2] = 0x7F; break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(52 + (2 * 32) + 12), 0xFFFFF000); break;
        }

        File.WriteAllBytes(temp.File("bad.mbn"), bytes);
        foreach (var command in kind == "overflowing phdr" ? new[] { "verify" } : new[] { "verify", "info" })
        {
            var result = QtzBinary.Run("fw", command, temp.File("bad.mbn"));
            Assert.True(result.ExitCode == 2, $"{command}: exit {result.ExitCode}: {result.StdErr}");
            var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            if (command == "verify")
                Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_file_and_a_bad_option_value_exit_2()
    {
        Assert.Equal(2, QtzBinary.Run("fw", "verify", "/nonexistent/x.mbn").ExitCode);
        Assert.Equal(2, QtzBinary.Run("fw", "verify", "/nonexistent/x.mbn", "--pas-id", "zzz").ExitCode);
        Assert.Equal(2, QtzBinary.Run("fw", "sign", "x", "-o", "y", "--key", "k", "--version", "4").ExitCode);
    }
}
