using Qtz.Kernel.Iommu;
using Qtz.Kernel.Pas;
using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// qcom_pas_start / qcom_pas_stop in the order of spec/scm-pas.md §7.5-7.6 and spec/socs.md §2.3-§2.4 (DTB
/// image authenticated before the main image, shut down after it), and the 2024 seed's devmem variant.
/// </summary>
public sealed partial class PasRemoteproc
{
    private readonly List<RprocMapping> _ownMappings = [];

    void IRprocOps.Start(Rproc rproc)
    {
        var fw = _firmware ?? throw new RprocException(Errno.EINVAL, "start without a loaded firmware");
        Q6v5.Prepare();
        rproc.Trace("q6v5 prepare: interconnect vote, load_state on, handover irq enabled");
        var crashesBefore = rproc.Crashes.Count;
        try
        {
            // The 2024 seed mapped carveout and devmem here, before the proxy votes.
            if (HasIommu && El2Design == PasEl2Design.Devmem)
            {
                MapCarveout(rproc, SeedIova(Carveout.Base.Value), "carveout (seed)");
                foreach (var row in Devmem)
                    Map(rproc, SeedIova(row.DeviceAddress), new PhysAddr(row.PhysicalAddress), row.Size, (IommuProt)(int)row.Protection, "qcom,devmem");
            }

            _proxyVoted = true;
            rproc.Trace($"proxy votes: {string.Join(", ", Data.ProxyPowerDomains.Append("xo"))}");
            AuthenticateDtb(rproc);
            MemReloc = PasMdtLoader.Load(_pas, _scm, Context, fw, rproc);
            rproc.Trace($"pil info: {Data.SysmonName} at {Carveout.Base}+0x{Carveout.Size:x}");
            if (HasIommu && El2Design == PasEl2Design.RscTable)
                MapCarveout(rproc, Carveout.Base.Value, "carveout");

            var ret = _pas.PrepareAndAuthReset(Context);
            rproc.Trace($"AUTH_AND_RESET pas {Context.PasId} via {_pas.BackendName}{(Context.UseTzMem && _pas.Backend is QteePasOps ? " (carveout SHM bridge create/delete around it)" : "")} -> {PasErrors.Describe(ret)}");
            if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"AUTH_AND_RESET refused: {PasErrors.Describe(ret)}");

            if (!Q6v5.WaitForStart(_config.ReadyTimeout))
            {
                var shutdown = _pas.Shutdown(Context.PasId);
                rproc.Trace($"start timed out; SHUTDOWN pas {Context.PasId} -> {PasErrors.Describe(shutdown)}");
                throw new RprocException(Errno.ETIMEDOUT, $"ready timeout after {_config.ReadyTimeout.TotalMilliseconds:0} ms{CrashesSince(rproc, crashesBefore)}");
            }

            _pas.MetadataRelease(Context);
            ReleaseDtb();
            rproc.Trace("metadata released");
            _firmware = null;
        }
        catch (RprocException)
        {
            UnmapOwn(rproc);
            _pas.MetadataRelease(Context);
            ReleaseDtb();
            DropProxyVotes();
            Q6v5.Unprepare();
            rproc.Trace("start unwound: carveout unmapped, metadata released, proxy votes dropped, q6v5 unprepared");
            _firmware = null;
            throw;
        }
    }

    void IRprocOps.Stop(Rproc rproc)
    {
        var acked = Q6v5.RequestStop(_config.StopTimeout);
        rproc.Trace(acked ? "stop requested" : "timed out on wait for stop-ack");
        var ret = ShutdownMain(rproc);
        ShutdownDtb(rproc);
        UnmapOwn(rproc);
        // An attached processor never had q6v5 prepare nor proxy votes (spec/socs.md §2.4 step 4).
        if (rproc.State != RprocState.Attached && !Q6v5.Unprepare()) DropProxyVotes();
        if (Data.SmemHostId != 0) rproc.Trace($"SMEM host {Data.SmemHostId}: its hwspinlock busted (smem_host_id)");
        if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"SHUTDOWN refused: {PasErrors.Describe(ret)}");
    }

    /// <summary>The seed's SID trick: device addresses carry (sid &amp; 0xF) in bits 32..35 when the option is on.</summary>
    private ulong SeedIova(ulong address) => _config.DevmemSidInIova ? address | ((ulong)(StreamId & 0xF) << 32) : address;

    private void MapCarveout(Rproc rproc, ulong iova, string what) =>
        Map(rproc, iova, Carveout.Base, Carveout.Size, IommuProt.Read | IommuProt.Write, what);

    private void Map(Rproc rproc, ulong iova, PhysAddr pa, ulong size, IommuProt prot, string what)
    {
        var domain = rproc.Domain ?? throw new RprocException(Errno.EINVAL, $"{what}: no IOMMU domain to map into");
        var ret = domain.Map(new Iova(iova), pa, size, prot);
        rproc.Trace($"iommu_map {what}: iova 0x{iova:x} -> {pa} size 0x{size:x} prot {prot} -> {(ret == Errno.None ? "ok" : "-" + ret)}");
        if (ret != Errno.None) throw new RprocException(ret, $"failed to map {what} iova 0x{iova:x} pa {pa} size 0x{size:x}: -{ret}");
        var mapping = new RprocMapping(new Iova(iova), pa, size, prot, what);
        _ownMappings.Add(mapping);
        rproc.TrackMapping(mapping);
    }

    private void UnmapOwn(Rproc rproc)
    {
        for (var i = _ownMappings.Count - 1; i >= 0; i--)
        {
            var mapping = _ownMappings[i];
            var unmapped = rproc.Domain?.Unmap(mapping.DeviceAddress, mapping.Length) ?? 0;
            rproc.Trace($"iommu_unmap {mapping.Source}: iova {mapping.DeviceAddress} size 0x{mapping.Length:x} -> 0x{unmapped:x}");
            rproc.UntrackMapping(mapping);
        }

        _ownMappings.Clear();
    }

    private static string CrashesSince(Rproc rproc, int before) =>
        rproc.Crashes.Count > before ? " (" + string.Join("; ", rproc.Crashes.Skip(before).Select(c => c.ToString())) + ")" : "";
}
