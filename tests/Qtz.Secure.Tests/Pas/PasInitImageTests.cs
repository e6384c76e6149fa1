using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Signing;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasInitImageTests
{
    private const uint AdspSwId = 0x04;

    [Fact]
    public void A_test_signed_image_is_authenticated_and_its_metadata_held_in_secure_memory()
    {
        var bench = new PasBench();
        Assert.Equal((0L, 0UL), Outcome(bench.InitImage(TestImages.Signed(AdspSwId))));
        Assert.Equal(PasState.MetadataInit, bench.Pas.StateOf(AdspPasId));
        Assert.Equal(1, bench.Pas.LockedMetadataCount);
    }

    [Theory]
    [InlineData(3, SigningKeyType.Rsa2048)]
    [InlineData(5, SigningKeyType.Rsa2048)]
    [InlineData(6, SigningKeyType.P384)]
    [InlineData(7, SigningKeyType.P384)]
    [InlineData(6, SigningKeyType.Rsa2048)]
    public void Every_hash_segment_version_the_verifier_reads_is_accepted(int version, SigningKeyType type)
    {
        var keys = type == SigningKeyType.P384 ? TestImages.Keys : TestImages.RsaKeys;
        var bench = new PasBench(fuses: new SecureBootFuses([keys.RootSha384]));
        Assert.Equal((0L, 0UL), Outcome(bench.Boot(TestImages.Signed(AdspSwId, version, keys: keys))));
        Assert.Equal(DspState.Booting, bench.Core.State);
    }

    [Fact]
    public void The_metadata_is_copied_so_changing_the_buffer_afterwards_changes_nothing()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId);
        bench.Load(signed);
        bench.Write(MetadataAt, new byte[256]); // Linux scribbles over its buffer after INIT_IMAGE
        Assert.Equal((0L, 0UL), Outcome(bench.AuthAndReset()));
    }

    [Fact]
    public void Wrong_SW_ID_for_the_PAS_id_is_refused()
    {
        var bench = new PasBench();
        var r = bench.InitImage(TestImages.Signed(0x17)); // a CDSP image offered as the ADSP
        Assert.Equal((0L, PasErrors.WrongSoftwareId), Outcome(r));
        Assert.Equal(PasState.Idle, bench.Pas.StateOf(AdspPasId));
        Assert.Equal(0, bench.Pas.LockedMetadataCount);
        Assert.Contains("SW_ID 0x17", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void An_untrusted_root_is_refused_when_secure_boot_is_enforced()
    {
        var bench = new PasBench();
        var r = bench.InitImage(TestImages.Signed(AdspSwId, keys: TestImages.UntrustedKeys));
        Assert.Equal((0L, PasErrors.UntrustedRoot), Outcome(r));
        Assert.Contains("not a fused trusted root", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void With_enforcement_off_an_untrusted_root_is_logged_and_accepted()
    {
        var bench = new PasBench(fuses: new SecureBootFuses([TestImages.Keys.RootSha384], enforce: false));
        Assert.Equal((0L, 0UL), Outcome(bench.InitImage(TestImages.Signed(AdspSwId, keys: TestImages.UntrustedKeys))));
        Assert.Contains(bench.Pas.Events, e => !e.Refused && e.Reason.Contains("not enforced") && e.Reason.Contains("trusted root"));
    }

    [Fact]
    public void An_image_below_the_rollback_floor_is_refused_and_one_at_the_floor_accepted()
    {
        var bench = new PasBench(fuses: new SecureBootFuses([TestImages.Keys.RootSha384], rollbackFloor: 3));
        Assert.Equal((0L, PasErrors.RollbackRefused), Outcome(bench.InitImage(TestImages.Signed(AdspSwId, antiRollback: 2))));
        Assert.Equal((0L, 0UL), Outcome(bench.InitImage(TestImages.Signed(AdspSwId, antiRollback: 3))));
    }

    [Fact]
    public void Committing_rollback_raises_the_floor_after_a_successful_boot()
    {
        var fuses = new SecureBootFuses([TestImages.Keys.RootSha384], rollbackFloor: 1) { CommitRollback = true };
        var bench = new PasBench(fuses: fuses);
        Assert.Equal((0L, 0UL), Outcome(bench.Boot(TestImages.Signed(AdspSwId, antiRollback: 5))));
        Assert.Equal(5u, fuses.RollbackFloor);
    }

    [Fact]
    public void A_changed_hash_table_breaks_the_signature()
    {
        var bench = new PasBench();
        var meta = TestImages.Metadata(TestImages.Signed(AdspSwId));
        var blob = meta.Blob;
        var segment = HashSegment.Parse(meta.HashSegmentBytes.ToArray(), 5);
        blob[meta.HeaderLength + segment.HashTableRange.Start.Value + (2 * segment.DigestLength) + 5] ^= 1; // hash-table entry 2
        bench.Write(MetadataAt, blob);
        var r = bench.Pil(PasService.InitImageCommand, new ArgInfo(0x82), AdspPasId, MetadataAt);
        Assert.Equal((0L, PasErrors.AuthenticationFailed), Outcome(r));
        Assert.Contains("does NOT verify", bench.Pas.LastError(AdspPasId)!.Value.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_ELF_header_fails_the_header_hash()
    {
        var bench = new PasBench();
        var blob = TestImages.Metadata(TestImages.Signed(AdspSwId)).Blob;
        blob[0x18] ^= 0x10; // e_entry
        bench.Write(MetadataAt, blob);
        var r = bench.Pil(PasService.InitImageCommand, new ArgInfo(0x82), AdspPasId, MetadataAt);
        Assert.Equal((0L, PasErrors.AuthenticationFailed), Outcome(r));
        Assert.Contains("entry 0", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void Metadata_that_is_not_an_ELF_blob_is_refused_as_malformed()
    {
        var bench = new PasBench();
        bench.Write(MetadataAt, new byte[4096]);
        var r = bench.Pil(PasService.InitImageCommand, new ArgInfo(0x82), AdspPasId, MetadataAt);
        Assert.Equal((0L, PasErrors.MalformedMetadata), Outcome(r));
    }

    [Fact]
    public void An_unknown_PAS_id_is_an_invalid_argument()
    {
        var bench = new PasBench();
        Assert.Equal(ScmStatus.InvalidArgument, bench.InitImage(TestImages.Signed(AdspSwId), pasId: 77).Status);
    }

    [Fact]
    public void Under_a_hypervisor_a_metadata_buffer_inside_an_SHM_bridge_is_refused()
    {
        var bench = new PasBench(callerEl: 1);
        Assert.Equal(0, bench.CreateBridge(MetadataAt, 0x10000).Status);
        Assert.Equal(ScmStatus.InvalidAddress, bench.InitImage(TestImages.Signed(AdspSwId)).Status);
        Assert.Contains("plain DMA memory", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void At_EL2_a_metadata_buffer_outside_any_SHM_bridge_is_refused()
    {
        var bench = new PasBench(callerEl: 2, enableBridges: true);
        Assert.Equal(ScmStatus.InvalidAddress, bench.InitImage(TestImages.Signed(AdspSwId)).Status);
        Assert.Contains("inside an SHM bridge", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void At_EL2_a_metadata_buffer_inside_an_SHM_bridge_is_accepted()
    {
        var bench = new PasBench(callerEl: 2, enableBridges: true);
        Assert.Equal(0, bench.CreateBridge(TzMemAt, 0x10000).Status);
        Assert.Equal((0L, 0UL), Outcome(bench.InitImage(TestImages.Signed(AdspSwId), at: TzMemAt)));
    }

    [Fact]
    public void A_metadata_pointer_outside_RAM_is_an_invalid_address()
    {
        var bench = new PasBench();
        Assert.Equal(ScmStatus.InvalidAddress, bench.Pil(PasService.InitImageCommand, new ArgInfo(0x82), AdspPasId, 0x1000).Status);
    }
}
