using System.Buffers.Binary;
using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Qtz.TestSupport;
using Xunit;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Tests.Elf;

public class MdtRulesTests
{
    [Theory]
    [InlineData(0x07000000u, QcomSegmentType.Phdr, QcomAccessType.ReadWrite, false, false)]
    [InlineData(0x02200000u, QcomSegmentType.Hash, QcomAccessType.ReadOnly, false, false)]
    [InlineData(0x08000007u, QcomSegmentType.L4, QcomAccessType.ReadWrite, true, false)]
    [InlineData(0x00100005u, QcomSegmentType.L4, QcomAccessType.ReadWrite, false, true)]
    [InlineData(0x00600006u, QcomSegmentType.L4, QcomAccessType.NotUsed, false, false)]
    [InlineData(0x05000005u, QcomSegmentType.Swapped, QcomAccessType.ReadWrite, false, false)]
    public void P_flags_decode_into_qualcomm_fields(uint flags, QcomSegmentType type, QcomAccessType access, bool relocatable, bool paged)
    {
        var q = new QcomSegmentFlags(flags);
        Assert.Equal((type, access, relocatable, paged), (q.SegmentType, q.AccessType, q.IsRelocatable, q.IsPaged));
    }

    [Fact]
    public void Bit_31_seen_on_venus_images_is_reported_as_unknown()
    {
        Assert.Equal(0x80000000u, new QcomSegmentFlags(0x88000005).UnknownBits);
    }

    [Theory]
    [InlineData("adsp.mdt", 1, "adsp.b01")]
    [InlineData("qcom/sa8775p/adsp.mbn", 5, "qcom/sa8775p/adsp.b05")]
    [InlineData("vpu.mdt", 19, "vpu.b19")]
    [InlineData("x.mdt", 123, "x.b123")]
    public void Split_file_name_replaces_the_last_three_characters(string name, int index, string expected)
    {
        Assert.Equal(expected, SegmentFileName.For(name, index));
    }

    [Fact]
    public void Section_entry_size_0_or_40_is_accepted_and_anything_else_rejected_when_sections_exist()
    {
        var image = TestImages.Unsigned();
        MdtRules.CheckHeader(image, image.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x2E), 40);
        MdtRules.CheckHeader(image, image.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x2E), 39);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x30), 1);
        Assert.Throws<FirmwareFormatException>(() => MdtRules.CheckHeader(image, image.Length));
    }

    [Fact]
    public void Loadable_means_pt_load_not_hash_and_non_zero_memsz()
    {
        Assert.True(MdtRules.IsLoadable(new ProgramHeader(ProgramHeaderType.Load, 5, 0, 0, 0, 0, 1, 0)));
        Assert.False(MdtRules.IsLoadable(new ProgramHeader(ProgramHeaderType.Load, 5, 0, 0, 0, 0, 0, 0)));
        Assert.False(MdtRules.IsLoadable(new ProgramHeader(ProgramHeaderType.Load, QcomSegmentFlags.TypeHash, 0, 0, 0, 0, 1, 0)));
        Assert.False(MdtRules.IsLoadable(new ProgramHeader(ProgramHeaderType.Null, 5, 0, 0, 0, 0, 1, 0)));
    }

    [Fact]
    public void Relocatable_image_loads_at_offsets_from_its_lowest_paddr_and_asks_for_mem_setup()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Unsigned());
        var plan = MdtLoadPlan.Create(image.Elf, 0x9000_0000, 0x10_0000);
        Assert.True(plan.Relocatable);
        Assert.Equal(0x8B00_0000UL, plan.RelocationBase);
        Assert.Equal(0UL, plan.Segments[0].CarveoutOffset);
        Assert.Equal(MdtRules.GetSize(image.Elf), plan.MemSetupSize);
        Assert.All(plan.Segments, s => Assert.True(s.CarveoutOffset + s.MemorySize <= 0x10_0000));
    }

    [Fact]
    public void Non_relocatable_image_is_placed_relative_to_the_carveout_and_must_fit()
    {
        using var image = FirmwareImage.FromMemory(new UnsignedImageBuilder { Relocatable = false }.Build());
        var plan = MdtLoadPlan.Create(image.Elf, 0x8B00_0000, 0x10_0000);
        Assert.False(plan.Relocatable);
        Assert.Equal(0UL, plan.MemSetupSize);
        var e = Assert.Throws<FirmwareFormatException>(() => MdtLoadPlan.Create(image.Elf, 0x8B00_1000, 0x10_0000));
        Assert.Contains("segment outside memory range", e.Message, StringComparison.Ordinal);
        Assert.Throws<FirmwareFormatException>(() => MdtLoadPlan.Create(image.Elf, 0x8B00_0000, 0x1000));
    }

    [Fact]
    public void Metadata_is_the_header_immediately_followed_by_the_hash_segment()
    {
        var signed = TestImages.Signed(6, SigningKeyType.P384);
        using var image = FirmwareImage.FromMemory(signed);
        var metadata = MdtMetadata.Build(image);
        Assert.Equal(HashSegmentSource.AtOffset, metadata.Source);
        var headerLength = (int)image.ProgramHeaders[0].FileSize;
        var hash = image.ProgramHeaders[image.HashSegmentIndex];
        Assert.Equal(signed.AsSpan(0, headerLength).ToArray(), metadata.HeaderBytes.ToArray());
        Assert.Equal(signed.AsSpan((int)hash.Offset, (int)hash.FileSize).ToArray(), metadata.HashSegmentBytes.ToArray());
    }

    [RequiresFirmwareFact]
    public void Metadata_of_the_real_split_image_is_the_mdt_file_itself()
    {
        var path = TestPaths.FirmwareFile("qcom", "a530_zap.mdt");
        using var image = FirmwareImage.Open(path);
        var metadata = MdtMetadata.Build(image);
        Assert.Equal(HashSegmentSource.AfterHeader, metadata.Source);
        Assert.Equal(ImageForm.Split, image.Form);
        Assert.Equal(File.ReadAllBytes(path), metadata.Blob);
    }

    [RequiresFirmwareFact]
    public void Real_images_open_from_a_search_path_like_lib_firmware()
    {
        using var temp = new TempDirectory();
        using var image = FirmwareImage.OpenFromSearchPath("qcom/a530_zap.mdt", [temp.Path, TestPaths.FirmwareDirectory]);
        Assert.True(FirmwareVerifier.Verify(image).Passed);
    }

    [Fact]
    public void Elf64_images_sign_and_verify()
    {
        var unsigned = new UnsignedImageBuilder { Class = ElfClass.Elf64 }.Build();
        var signed = TestImages.Signed(7, SigningKeyType.P384, unsignedImage: unsigned);
        using var image = FirmwareImage.FromMemory(signed);
        Assert.Equal(ElfClass.Elf64, image.Header.Class);
        Assert.True(FirmwareVerifier.Verify(image).Passed);
    }
}
