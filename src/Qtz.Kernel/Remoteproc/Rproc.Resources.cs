using Qtz.Firmware.ResourceTables;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Remoteproc;

/// <summary>IOMMU domain life (rproc_enable_iommu/disable) and the cached resource table (rproc_handle_resources/cleanup).</summary>
public sealed partial class Rproc
{
    private Errno EnableIommu()
    {
        if (!HasIommu) return Errno.None;
        var smmu = Config.Smmu!;
        IommuDomain domain;
        try
        {
            domain = smmu.AllocateDomain();
        }
        catch (KernelException e)
        {
            return Fail(e.Errno, "can't alloc iommu domain: " + e.Message);
        }

        domain.SetFaultHandler(OnIommuFault);
        var ret = smmu.Attach(domain, Config.StreamId, Config.StreamMask);
        if (ret != Errno.None)
        {
            domain.Free();
            return Fail(ret, $"can't attach iommu device (sid 0x{Config.StreamId:x} mask 0x{Config.StreamMask:x}): -{ret}");
        }

        Domain = domain;
        Emit(RprocEventKind.Step, $"iommu domain attached: sid 0x{Config.StreamId:x} mask 0x{Config.StreamMask:x}, context bank {domain.ContextBank}");
        return Errno.None;
    }

    private void DisableIommu()
    {
        if (Domain is not { } domain) return;
        Config.Smmu!.Detach(domain, Config.StreamId, Config.StreamMask);
        domain.Free();
        Domain = null;
        Emit(RprocEventKind.Step, "iommu domain detached and freed");
    }

    /// <summary>rproc_handle_resources over the cached table: RSC_DEVMEM becomes iommu_map; other types are not used by PAS DSPs.</summary>
    private void HandleResources()
    {
        if (CachedTable is not { } table) return;
        foreach (var entry in table.Entries)
        {
            if (entry.DevMem is { } devmem) HandleDevmem(devmem);
            else Emit(RprocEventKind.Log, $"resource type {entry.Type} at offset {entry.Offset} not handled by this model");
        }
    }

    /// <summary>rproc_handle_devmem.</summary>
    private void HandleDevmem(DevMemResource rsc)
    {
        if (Domain is not { } domain)
            throw new RprocException(Errno.EINVAL, $"devmem resource '{rsc.Name}' needs an IOMMU domain, and {Name} has none");
        if (rsc.Reserved != 0)
            throw new RprocException(Errno.EINVAL, $"devmem rsc '{rsc.Name}' has non zero reserved bytes");
        var prot = (IommuProt)rsc.Flags;
        var ret = domain.Map(new Iova(rsc.DeviceAddress), new PhysAddr(rsc.PhysicalAddress), rsc.Length, prot);
        if (ret != Errno.None)
            throw new RprocException(ret, $"failed to map devmem '{rsc.Name}' da 0x{rsc.DeviceAddress:x} pa 0x{rsc.PhysicalAddress:x} len 0x{rsc.Length:x}: -{ret}");
        _rscMappings.Add(new RprocMapping(new Iova(rsc.DeviceAddress), new PhysAddr(rsc.PhysicalAddress), rsc.Length, prot, "rsc devmem " + rsc.Name));
        Emit(RprocEventKind.Step, $"mapped devmem pa 0x{rsc.PhysicalAddress:x}, da 0x{rsc.DeviceAddress:x}, len 0x{rsc.Length:x}");
    }

    /// <summary>rproc_resource_cleanup: unmap every resource-table mapping.</summary>
    private void CleanupResources()
    {
        foreach (var mapping in _rscMappings)
        {
            var unmapped = Domain?.Unmap(mapping.DeviceAddress, mapping.Length) ?? 0;
            if (unmapped != mapping.Length)
                Emit(RprocEventKind.Error, $"failed to unmap 0x{unmapped:x}/0x{mapping.Length:x} at da {mapping.DeviceAddress}");
        }

        if (_rscMappings.Count > 0) Emit(RprocEventKind.Step, $"unmapped {_rscMappings.Count} resource-table devmem entries");
        _rscMappings.Clear();
        CachedTable = null;
    }
}
