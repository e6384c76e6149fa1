using System.Buffers.Binary;
using Qtz.Firmware.Elf;
using Qtz.Firmware.ResourceTables;
using Qtz.Secure.Tee;
using Qtz.Secure.Tests.Pas;
using Qtz.Soc;
using Xunit;
using static Qtz.Secure.Tests.Tee.OpteeBench;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;
using Qtz.Firmware.Mdt;
using Qtz.Firmware.HashSegments;

namespace Qtz.Secure.Tests.Tee;

/// <summary>spec/socs.md §4.5, firmware-formats.md §4.3: OP-TEE's PAS TA over the one PAS core.</summary>
public sealed class PasTrustedAppTests
{
    private const uint AdspSwId = 0x04;

    [Fact]
    public void Only_an_REE_kernel_login_opens_a_session_user_space_gets_access_denied()
    {
        var bench = new OpteeBench();
        Assert.Equal((TeeResult.AccessDenied, TeeResult.OriginTrustedApp), (bench.Open(TeeResult.LoginPublic).Ret, bench.Open(TeeResult.LoginPublic).Origin));
        Assert.Equal(TeeResult.AccessDenied, bench.Open(TeeResult.LoginUser).Ret);
        var kernel = bench.Open(TeeResult.LoginReeKernel);
        Assert.Equal(TeeResult.Success, kernel.Ret);
        Assert.NotEqual(0u, kernel.Session);
        Assert.Equal(1, bench.Optee.OpenSessions);
    }

    [Fact]
    public void A_session_to_an_unknown_UUID_is_item_not_found_from_the_TEE_itself()
    {
        var bench = new OpteeBench();
        var r = bench.Open(TeeResult.LoginReeKernel, new byte[16]);
        Assert.Equal((TeeResult.ItemNotFound, TeeResult.OriginTee), (r.Ret, r.Origin));
    }

    [Fact]
    public void A_signed_image_boots_through_the_TA_with_the_same_lock_and_DSP_release_as_the_SCM_door()
    {
        var bench = new OpteeBench();
        Assert.Equal(TeeResult.Success, bench.Load(TestImages.Signed(AdspSwId)));
        Assert.Equal(QcomPasTa.StateLoaded, bench.Pas.TeeStateOf(AdspPasId));
        Assert.Equal(TeeResult.Success, bench.AuthAndReset());
        Assert.Equal(QcomPasTa.StateRunning, bench.Pas.TeeStateOf(AdspPasId));
        Assert.True(bench.Pas.IsCarveoutLocked(AdspPasId));
        Assert.Equal(BusStatus.Denied, bench.Bus.Read(BusMaster.LinuxEl2, Carveout.Base, new byte[4]));
        Assert.True(bench.Clock.RunUntil(() => bench.Core.State == DspState.Running, TimeSpan.FromSeconds(1)));
        Assert.Equal(TeeResult.Success, bench.Invoke(QcomPasTa.Shutdown, Value(AdspPasId)).Ret);
        Assert.Equal(QcomPasTa.StateOffline, bench.Pas.TeeStateOf(AdspPasId));
        Assert.False(bench.Pas.IsCarveoutLocked(AdspPasId));
        Assert.Contains(bench.Events, e => e.ToString() == $"invoke PAS AUTH_AND_RESET pas_id={AdspPasId} mem=0x90000000+0x200000 -> TEE_SUCCESS");
    }

    [Fact]
    public void INIT_IMAGE_keeps_a_private_copy_so_changing_the_shared_memory_afterwards_changes_nothing()
    {
        var bench = new OpteeBench();
        Assert.Equal(TeeResult.Success, bench.Load(TestImages.Signed(AdspSwId)));
        Assert.True(bench.Pas.HoldsMetadata(AdspPasId));
        Assert.Equal(BusStatus.Ok, bench.Bus.Fill(BusMaster.LinuxEl2, new PhysAddr(ShmAt), 0x4000, 0xEE));
        Assert.Equal(TeeResult.Success, bench.AuthAndReset());
        Assert.False(bench.Pas.HoldsMetadata(AdspPasId));
    }

    [Fact]
    public void A_segment_changed_after_INIT_IMAGE_is_caught_by_the_rehash_and_the_DSP_stays_in_reset()
    {
        var bench = new OpteeBench();
        var signed = TestImages.Signed(AdspSwId);
        Assert.Equal(TeeResult.Success, bench.Load(signed));
        var flip = Carveout.Base + 0x10;
        var b = new byte[1];
        bench.Bus.Read(BusMaster.LinuxEl2, flip, b);
        bench.Bus.Write(BusMaster.LinuxEl2, flip, [(byte)(b[0] ^ 0x5A)]);
        Assert.Equal(TeeResult.Security, bench.AuthAndReset());
        Assert.Equal(DspState.Reset, bench.Core.State);
        Assert.False(bench.Pas.IsCarveoutLocked(AdspPasId));
        var refused = bench.Pas.LastError(AdspPasId)!.Value;
        Assert.Equal(PasErrors.SegmentHashMismatch, refused.Code);
        Assert.Contains("AUTH_AND_RESET (OP-TEE PAS TA)", refused.Call, StringComparison.Ordinal);
        Assert.Contains("the hash table says", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_fused_device_an_untrusted_root_is_refused_at_INIT_IMAGE()
    {
        var bench = new OpteeBench();
        Assert.Equal(TeeResult.Security, bench.InitImage(TestImages.Signed(AdspSwId, keys: TestImages.UntrustedKeys)));
        Assert.Equal(PasErrors.UntrustedRoot, bench.Pas.LastError(AdspPasId)!.Value.Code);
        Assert.Equal(QcomPasTa.StateOffline, bench.Pas.TeeStateOf(AdspPasId));
    }

    [Fact]
    public void On_an_unfused_device_the_same_image_boots_and_only_the_segment_hashes_decide()
    {
        var bench = new OpteeBench(SecureBootFuses.Unfused());
        var signed = TestImages.Signed(AdspSwId, keys: TestImages.UntrustedKeys);
        Assert.Equal(TeeResult.Success, bench.Load(signed));
        Assert.Equal(TeeResult.Success, bench.AuthAndReset());

        var tampered = new OpteeBench(SecureBootFuses.Unfused());
        Assert.Equal(TeeResult.Success, tampered.Load(signed));
        tampered.Bus.Fill(BusMaster.LinuxEl2, Carveout.Base, 16, 0x11);
        Assert.Equal(TeeResult.Security, tampered.AuthAndReset());
    }

    [Fact]
    public void A_QTI_countersigned_image_is_refused_on_a_fused_device_and_accepted_unfused()
    {
        var signed = TestImages.Signed(AdspSwId);
        var countersigned = Countersigned(signed);
        var fused = new OpteeBench();
        Assert.Equal(TeeResult.Security, fused.InitImage(signed, countersigned));
        var refused = fused.Pas.LastError(AdspPasId)!.Value;
        Assert.Equal(PasErrors.ImageKindRefused, refused.Code);
        Assert.Contains("QTI-countersigned", refused.Reason, StringComparison.Ordinal);

        var unfused = new OpteeBench(SecureBootFuses.Unfused());
        Assert.Equal(TeeResult.Success, unfused.Load(signed, countersigned));
        Assert.Equal(TeeResult.Success, unfused.AuthAndReset());
    }

    [Fact]
    public void A_UIE_encrypted_image_is_refused_on_a_fused_device_with_the_reason()
    {
        var signed = TestImages.Signed(AdspSwId);
        var bench = new OpteeBench();
        Assert.Equal(TeeResult.Security, bench.InitImage(signed, UieMarked(signed)));
        var refused = bench.Pas.LastError(AdspPasId)!.Value;
        Assert.Equal(PasErrors.ImageKindRefused, refused.Code);
        Assert.Contains("UIE-encrypted", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_SCM_door_does_not_apply_OP_TEE_s_image_kind_refusals()
    {
        // One core, two doors: the UIE marker sits in the padding, which the shared checks already flag
        // (an authentication failure), but only the TA names the image kind.
        var encrypted = UieMarked(TestImages.Signed(AdspSwId));
        var scm = new PasBench();
        scm.Write(PasBench.MetadataAt, encrypted);
        scm.Pil(PasService.InitImageCommand, new ArgInfo(0x82), PasBench.AdspPasId, PasBench.MetadataAt);
        Assert.NotEqual(PasErrors.ImageKindRefused, scm.Pas.LastError(PasBench.AdspPasId)!.Value.Code);
    }

    [Fact]
    public void Each_command_checks_its_parameter_types_and_refuses_another_layout_with_bad_parameters()
    {
        var bench = new OpteeBench();
        Assert.Equal(TeeResult.BadParameters, bench.Invoke(QcomPasTa.Shutdown, Value(AdspPasId), Value(0)).Ret);
        Assert.Equal(TeeResult.BadParameters, bench.Invoke(QcomPasTa.InitImage, Value(AdspPasId), Value(0)).Ret);
        Assert.Equal(TeeResult.BadParameters, bench.Invoke(QcomPasTa.AuthAndReset, Value(AdspPasId), Value(0)).Ret);
        Assert.Equal(TeeResult.NotSupported, bench.Invoke(99, Value(AdspPasId)).Ret);
    }

    [Fact]
    public void IS_SUPPORTED_answers_success_for_a_peripheral_and_not_supported_otherwise()
    {
        var bench = new OpteeBench();
        Assert.Equal(TeeResult.Success, bench.Invoke(QcomPasTa.IsSupported, Value(AdspPasId)).Ret);
        Assert.Equal(TeeResult.NotSupported, bench.Invoke(QcomPasTa.IsSupported, Value(77)).Ret);
    }

    [Fact]
    public void A_carveout_other_than_the_peripherals_is_refused_at_AUTH_AND_RESET()
    {
        var bench = new OpteeBench();
        bench.Load(TestImages.Signed(AdspSwId));
        var r = bench.Invoke(QcomPasTa.AuthAndReset, Value(AdspPasId, 0x1000), Value(0x9000_0000), new((ulong)OpteeParamType.TmemInput, 0, 0, 0));
        Assert.Equal(TeeResult.BadParameters, r.Ret);
        Assert.Equal(PasErrors.BadMemoryLayout, bench.Pas.LastError(AdspPasId)!.Value.Code);
    }

    [Fact]
    public void GET_RESOURCE_TABLE_answers_the_size_to_a_null_memref_then_the_table_with_the_devmem_entries()
    {
        var bench = new OpteeBench();
        var empty = new byte[ResourceTable.HeaderSize];
        var query = bench.Invoke(QcomPasTa.GetResourceTable, Value(AdspPasId), new((ulong)OpteeParamType.TmemInout, 0, (ulong)empty.Length, 0));
        Assert.Equal(TeeResult.Success, query.Ret);
        var needed = query.Params[1].B;
        Assert.True(needed > (ulong)empty.Length);
        bench.Bus.Write(BusMaster.LinuxEl2, new PhysAddr(ShmAt), new byte[needed]);
        var fill = bench.Invoke(QcomPasTa.GetResourceTable, Value(AdspPasId), new((ulong)OpteeParamType.RmemInout, 0, needed, ShmCookie));
        Assert.Equal(TeeResult.Success, fill.Ret);
        Assert.Equal(needed, fill.Params[1].B);
        var bytes = new byte[fill.Params[1].B];
        bench.Bus.Read(BusMaster.LinuxEl2, new PhysAddr(ShmAt), bytes);
        var devmem = Assert.Single(ResourceTable.Parse(bytes).Entries);
        Assert.Equal(ResourceType.DevMem, devmem.Type);

        bench.Bus.Write(BusMaster.LinuxEl2, new PhysAddr(ShmAt), empty);
        var tooSmall = bench.Invoke(QcomPasTa.GetResourceTable, Value(AdspPasId), new((ulong)OpteeParamType.RmemInout, 0, ResourceTable.HeaderSize, ShmCookie));
        Assert.Equal(TeeResult.ShortBuffer, tooSmall.Ret);
    }

    [Fact]
    public void A_memref_naming_unregistered_shared_memory_is_refused_by_the_TEE_before_the_TA_runs()
    {
        var bench = new OpteeBench();
        var r = bench.Invoke(QcomPasTa.InitImage, Value(AdspPasId), new((ulong)OpteeParamType.RmemInput, 0, 64, 0x999));
        Assert.Equal(TeeResult.BadParameters, r.Ret);
        Assert.Contains(bench.Events, e => e.Origin == TeeResult.OriginTee && e.Detail!.Contains("not registered", StringComparison.Ordinal));
    }

    /// <summary>The image's INIT_IMAGE metadata with <paramref name="padding"/> 0xFF bytes appended to its hash segment (phdr p_filesz grown to match).</summary>
    private static (byte[] Blob, int HashAt, Qtz.Firmware.HashSegments.HashSegment Segment) Padded(byte[] signed, int padding)
    {
        var original = TestImages.Metadata(signed).Blob;
        var blob = new byte[original.Length + padding];
        original.CopyTo(blob, 0);
        blob.AsSpan(original.Length).Fill(0xFF);
        var elf = ElfFile.Parse(original);
        var index = elf.HashSegmentIndex;
        var is64 = blob[4] == 2;
        var phdr = (int)elf.Header.PhOff + index * (is64 ? 56 : 32);
        var hashSize = elf.ProgramHeaders[index].FileSize + (ulong)padding;
        if (is64) BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(phdr + 32), hashSize);
        else BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(phdr + 16), (uint)hashSize);
        var at = (int)elf.ProgramHeaders[0].FileSize;
        return (blob, at, Qtz.Firmware.HashSegments.HashSegment.Parse(blob.AsSpan(at).ToArray(), elf.ProgramHeaders.Count));
    }

    /// <summary>Metadata whose hash segment declares a QTI signature (borrowed padding) before the OEM signature and chain.</summary>
    private static byte[] Countersigned(byte[] signed)
    {
        const int k = 96;
        var (blob, at, segment) = Padded(signed, k);
        var bytes = blob.AsSpan(at);
        var oemStart = segment.OemSignatureRange.Start.Value;
        var oemEnd = segment.OemChainRange.End.Value;
        bytes[oemStart..oemEnd].CopyTo(bytes[(oemStart + k)..]);
        bytes.Slice(oemStart, k).Fill(0x5A);
        (segment.Header with { QtiSignatureSize = k, TotalSize = segment.Header.TotalSize + k }).WriteTo(bytes);
        return blob;
    }

    /// <summary>Metadata with "ISMQ" right after the OEM chain.</summary>
    private static byte[] UieMarked(byte[] signed)
    {
        var (blob, at, segment) = Padded(signed, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(at + segment.OemChainRange.End.Value), PasTrustedApp.UieMagic);
        return blob;
    }
}
