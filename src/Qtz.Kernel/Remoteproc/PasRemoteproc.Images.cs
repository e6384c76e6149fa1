using Qtz.Firmware.Images;
using Qtz.Soc;
using Qtz.DeviceTree.Properties;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// The per-SoC extras of qcom_q6v5_pas (spec/socs.md §2.2-§2.5): lite teardown and the DTB image at load,
/// region_assign at probe and its reversal at remove, and decrypt_shutdown's SHUTDOWN retries.
/// </summary>
public sealed partial class PasRemoteproc
{
    /// <summary>Read/write in a hyp-assign destination entry (QCOM_SCM_PERM_RW).</summary>
    private const byte PermRw = 0x6;

    /// <summary>The decrypt_shutdown poll's bound (≈ 5 s at 100 ms).</summary>
    public const int DecryptShutdownTries = 50;

    private readonly List<(PhysRange Region, ulong Owners)> _assigned = [];
    private FirmwareImage? _dtbFirmware;

    /// <summary>Regions currently hyp-assigned away from HLOS by this driver.</summary>
    public int LiveAssignments => _assigned.Count;

    /// <summary>
    /// qcom_pas_load: shut the lite images down (results ignored), then load the DTB image into its context:
    /// INIT_IMAGE(dtb_pas_id), MEM_SETUP when relocatable, copy into memory-region[1]. The main image waits for start.
    /// </summary>
    void IRprocOps.Load(Rproc rproc, FirmwareImage firmware)
    {
        _firmware = firmware;
        foreach (var lite in new[] { Data.LitePasId, Data.LiteDtbPasId })
        {
            if (lite is not { } id) continue;
            var ret = _scm.PasShutdown(id);
            rproc.Trace($"SHUTDOWN lite pas 0x{id:x} -> {PasErrors.Describe(ret)} (ignored: only tears down what UEFI may have started)");
        }

        if (DtbContext is null || DtbFirmware is null) return;
        FirmwareImage dtb;
        try
        {
            dtb = _config.RequestFirmware is { } request ? request(DtbFirmware) : FirmwareImage.OpenFromSearchPath(DtbFirmware, _config.FirmwareSearchPath);
        }
        catch (FileNotFoundException e)
        {
            throw new RprocException(Errno.ENOENT, $"request_firmware {DtbFirmware} (DTB image) failed: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new RprocException(Errno.EINVAL, $"DTB image {DtbFirmware} is malformed: {e.Message}", e);
        }

        try
        {
            PasMdtLoader.Load(_scm, DtbContext, dtb, rproc);
            _dtbFirmware = dtb;
        }
        catch (RprocException)
        {
            _scm.PasMetadataRelease(DtbContext);
            dtb.Dispose();
            throw;
        }
    }

    /// <summary>Start step 3: AUTH_AND_RESET of the DTB image (carveout identity-mapped first when Linux owns the stream).</summary>
    private void AuthenticateDtb(Rproc rproc)
    {
        if (DtbContext is null || DtbCarveout is not { } dtb) return;
        if (HasIommu) Map(rproc, dtb.Base.Value, dtb.Base, dtb.Size, Iommu.IommuProt.Read | Iommu.IommuProt.Write, "dtb carveout");
        var ret = _scm.PasPrepareAndAuthReset(DtbContext);
        rproc.Trace($"AUTH_AND_RESET dtb pas 0x{DtbContext.PasId:x}{(DtbContext.UseTzMem ? " (carveout SHM bridge create/delete around it)" : "")} -> {PasErrors.Describe(ret)}");
        if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"AUTH_AND_RESET of the DTB image (pas 0x{DtbContext.PasId:x}) refused: {PasErrors.Describe(ret)}");
    }

    private void ReleaseDtb()
    {
        if (DtbContext is not null) _scm.PasMetadataRelease(DtbContext);
        _dtbFirmware?.Dispose();
        _dtbFirmware = null;
    }

    /// <summary>SHUTDOWN(pas_id); a decrypt_shutdown SoC retries every 100 ms while TZ answers -EINVAL (still decrypting), at most 50 times.</summary>
    private int ShutdownMain(Rproc rproc)
    {
        var ret = _scm.PasShutdown(Context.PasId);
        rproc.Trace($"SHUTDOWN pas {Context.PasId} -> {PasErrors.Describe(ret)}");
        if (ret == 0 || !Data.DecryptShutdown) return ret;
        for (var tries = 0; ret == -(int)Errno.EINVAL && tries < DecryptShutdownTries; tries++)
        {
            _scm.Clock.Advance(_config.DecryptShutdownDelay);
            ret = _scm.PasShutdown(Context.PasId);
            rproc.Trace($"SHUTDOWN pas {Context.PasId} retry {tries + 1} (decrypt_shutdown) -> {PasErrors.Describe(ret)}");
        }

        return ret;
    }

    /// <summary>Stop step 3: SHUTDOWN(dtb_pas_id) after the main image; its error is only logged.</summary>
    private void ShutdownDtb(Rproc rproc)
    {
        if (DtbContext is null) return;
        var ret = _scm.PasShutdown(DtbContext.PasId);
        rproc.Trace($"SHUTDOWN dtb pas 0x{DtbContext.PasId:x} -> {PasErrors.Describe(ret)}{(ret != 0 ? " (logged only)" : "")}");
    }

    /// <summary>
    /// Probe: hyp-assign memory-region[idx..idx+count) from HLOS to the descriptor's VMID — exclusive {vmid RW}
    /// or shared {HLOS RW, vmid RW}. A failure gives back what was already assigned and fails the probe.
    /// </summary>
    private void AssignMemoryRegions()
    {
        if (Data.RegionAssign is not { } a) return;
        var vmid = new Vmid(a.Vmid);
        foreach (var region in AssignedRegions)
        {
            var owners = 1UL << Vmid.Hlos.Value;
            IReadOnlyList<ScmVmPermission> to = a.Shared
                ? [new ScmVmPermission(Vmid.Hlos, PermRw), new ScmVmPermission(vmid, PermRw)]
                : [new ScmVmPermission(vmid, PermRw)];
            var ret = _scm.AssignMem(region.Base, region.Size, ref owners, to);
            Rproc.Trace($"hyp-assign {region} to {(a.Shared ? "HLOS+" : "")}{vmid.Name} ({(a.Shared ? "shared" : "exclusive")}) -> {PasErrors.Describe(ret)}");
            if (ret != 0)
            {
                Remove();
                throw new RemoteprocProbeException($"{Node.Path}: assigning shareable memory-region {region} to {vmid.Name} failed: {PasErrors.Describe(ret)}");
            }

            if (!a.Shared) _assigned.Add((region, owners));
        }
    }

    /// <summary>qcom_pas_remove: exclusive assignments are given back to HLOS (shared ones never are).</summary>
    public void Remove()
    {
        for (var i = _assigned.Count - 1; i >= 0; i--)
        {
            var (region, owners) = _assigned[i];
            var ret = _scm.AssignMem(region.Base, region.Size, ref owners, [new ScmVmPermission(Vmid.Hlos, PermRw)]);
            Rproc.Trace($"hyp-assign {region} back to HLOS -> {PasErrors.Describe(ret)}");
        }

        _assigned.Clear();
    }
}
