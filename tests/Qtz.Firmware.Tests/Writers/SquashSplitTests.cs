using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Writers;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Writers;

public class SquashSplitTests
{
    [RequiresFirmwareFact]
    public void Squash_then_split_of_the_real_split_set_gives_back_the_same_files()
    {
        using var temp = new TempDirectory();
        var original = TestPaths.FirmwareFile("qcom", "a530_zap.mdt");
        using (var split = FirmwareImage.Open(original))
            ImageFiles.Squash(split, temp.File("a530_zap.mbn"));
        using (var squashed = FirmwareImage.Open(temp.File("a530_zap.mbn")))
            ImageFiles.Split(squashed, temp.File("out"), "a530_zap");
        foreach (var name in new[] { "a530_zap.mdt", "a530_zap.b00", "a530_zap.b01", "a530_zap.b02" })
            Assert.Equal(File.ReadAllBytes(TestPaths.FirmwareFile("qcom", name)), File.ReadAllBytes(Path.Combine(temp.File("out"), name)));
    }

    [RequiresFirmwareFact]
    public void The_squashed_real_split_set_verifies_and_split_of_it_squashes_back_byte_identical()
    {
        using var temp = new TempDirectory();
        using (var split = FirmwareImage.Open(TestPaths.FirmwareFile("qcom", "a530_zap.mdt")))
            ImageFiles.Squash(split, temp.File("a.mbn"));
        using var squashed = FirmwareImage.Open(temp.File("a.mbn"));
        Assert.Equal(ImageForm.Single, squashed.Form);
        Assert.True(Verification.FirmwareVerifier.Verify(squashed).Passed);
        AssertSplitSquashIdentity(squashed, File.ReadAllBytes(temp.File("a.mbn")), temp);
    }

    [RequiresFirmwareFact]
    public void Split_then_squash_of_a_real_mbn_is_byte_identical()
    {
        using var temp = new TempDirectory();
        var path = TestPaths.FirmwareFile("qcom", "sdm845", "cdsp.mbn");
        using var image = FirmwareImage.Open(path);
        AssertSplitSquashIdentity(image, File.ReadAllBytes(path), temp);
    }

    [Theory]
    [InlineData(3, SigningKeyType.Rsa2048)]
    [InlineData(6, SigningKeyType.P384)]
    [InlineData(7, SigningKeyType.P384)]
    public void Split_then_squash_of_a_generated_image_is_byte_identical(int version, SigningKeyType type)
    {
        using var temp = new TempDirectory();
        var bytes = TestImages.Signed(version, type);
        using var image = FirmwareImage.FromMemory(bytes);
        AssertSplitSquashIdentity(image, bytes, temp);
    }

    private static void AssertSplitSquashIdentity(FirmwareImage image, byte[] expected, TempDirectory temp)
    {
        var dir = temp.File("split-" + Guid.NewGuid().ToString("N")[..6]);
        ImageFiles.Split(image, dir, "fw");
        using var split = FirmwareImage.Open(Path.Combine(dir, "fw.mdt"));
        Assert.Equal(ImageForm.Split, split.Form);
        Assert.True(Verification.FirmwareVerifier.Verify(split).Passed);
        Assert.Equal(expected, ImageSquasher.Squash(split));
    }
}
