using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Writers;
using Xunit;
using Qtz.Secure.Pas;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

/// <summary>INIT_IMAGE applies the same layout rules as `qtz fw verify`: what Linux loads is not malformed metadata.</summary>
public sealed class PasLoaderRulesTests
{
    private const uint AdspSwId = 0x04;

    private static byte[] Signed(Func<ProgramHeader, int, ProgramHeader> change)
    {
        var unsigned = new UnsignedImageBuilder { SegmentSizes = [0x3000, 1000] }.Build();
        for (var i = 0; i < 5; i++)
        {
            var at = 52 + (32 * i);
            change(ProgramHeader.Parse(unsigned.AsSpan(at), ElfClass.Elf32), i).WriteTo(unsigned.AsSpan(at), ElfClass.Elf32);
        }

        using var image = FirmwareImage.FromMemory(unsigned);
        return FirmwareSigner.Sign(image, TestImages.Keys, new SignOptions { Version = 6, SoftwareId = AdspSwId });
    }

    [Fact]
    public void Metadata_of_an_image_whose_loads_share_memory_is_authenticated()
    {
        var bench = new PasBench();
        var shared = Signed((p, i) => i == 3 ? p with { PhysicalAddress = 0x8B00_0000, VirtualAddress = 0x8B00_0000 } : p);
        Assert.Equal((0L, 0UL), Outcome(bench.InitImage(shared)));
    }

    [Fact]
    public void A_loadable_segment_with_more_file_bytes_than_memory_is_still_malformed_metadata()
    {
        var bench = new PasBench();
        var bad = Signed((p, i) => i == 2 ? p with { MemorySize = p.FileSize - 1 } : p);
        Assert.Equal((0L, PasErrors.MalformedMetadata), Outcome(bench.InitImage(bad)));
    }
}
