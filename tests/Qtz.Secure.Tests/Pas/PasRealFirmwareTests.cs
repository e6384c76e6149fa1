using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Soc;
using Qtz.TestSupport;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Dsp;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

/// <summary>The real SA8775p ADSP image (linux-firmware), its real root trusted, through the whole PAS flow.</summary>
public sealed class PasRealFirmwareTests
{
    private static readonly PhysRange AdspCarveout = new(new PhysAddr(0x95C0_0000), 0x1E0_0000);

    private static (byte[] Bytes, byte[] RootSha384) RealAdsp()
    {
        var bytes = File.ReadAllBytes(TestPaths.FirmwareFile("qcom", "sa8775p", "adsp.mbn"));
        using var image = FirmwareImage.FromMemory(bytes, "adsp.mbn");
        var report = FirmwareVerifier.Verify(image);
        return (bytes, report.Signers[^1].RootSha384);
    }

    [RequiresFirmwareFact]
    public void The_real_SA8775p_ADSP_image_authenticates_with_its_real_root_trusted_and_boots()
    {
        var (bytes, root) = RealAdsp();
        var bench = new PasBench(fuses: new SecureBootFuses([root]), devmem: [], carveout: AdspCarveout);
        Assert.Equal((0L, 0UL), Outcome(bench.Boot(bytes)));
        Assert.Equal(DspState.Booting, bench.Core.State);
        Assert.Equal(new Iova(0x95C0_0000), bench.Core.Image!.Entry);
        Assert.Contains(bench.Pas.Events, e => e.Call == "INIT_IMAGE" && e.Reason.Contains("SW_ID 0x4"));
    }

    [RequiresFirmwareFact]
    public void The_real_ADSP_image_with_one_flipped_byte_in_a_segment_is_refused()
    {
        var (bytes, root) = RealAdsp();
        var bench = new PasBench(fuses: new SecureBootFuses([root]), devmem: [], carveout: AdspCarveout);
        var segment = ElfFile.Parse(bytes).ProgramHeaders[16];
        var r = bench.Boot(bytes, copy => copy[(int)segment.Offset + 0x1234] ^= 0x80);
        Assert.Equal((0L, PasErrors.SegmentHashMismatch), Outcome(r));
        Assert.Equal(0, bench.Core.BootCount);
    }

    [RequiresFirmwareFact]
    public void The_real_ADSP_image_is_refused_when_its_root_is_not_fused()
    {
        var (bytes, _) = RealAdsp();
        var bench = new PasBench(carveout: AdspCarveout);
        Assert.Equal((0L, PasErrors.UntrustedRoot), Outcome(bench.InitImage(bytes)));
    }
}
