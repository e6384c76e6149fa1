using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Kernel.Iommu;

/// <summary>Attaching domains to streams and handling their context faults.</summary>
public sealed partial class ArmSmmu
{
    private const uint SctlrStage1 = SctlrM | 1u << 1 /* TRE */ | 1u << 2 /* AFE */ | 1u << 5 /* CFRE */ | SctlrCfie;

    /// <summary>
    /// iommu_attach_device for one `iommus` specifier (stream ID, SMR mask): gives the domain a context
    /// bank on first attach (programmed CBA2R, CBAR, TCR2, TCR, TTBR0/1, MAIR, SCTLR last), then points a
    /// stream-match entry at it (S2CR before SMR). An SMR that wholly contains (id, mask) is reused;
    /// a partial overlap is -EINVAL; a stream already routed to another domain -EBUSY; no free bank or
    /// SMR -ENOSPC.
    /// </summary>
    public Errno Attach(IommuDomain domain, ushort streamId, ushort mask = 0)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Smmu != this || domain.IsFreed) return Errno.EINVAL;
        lock (_gate)
        {
            var sme = FindStreamMatchEntry(streamId, mask, out var index);
            if (sme == Errno.EINVAL) return sme;
            if (index < 0) return Errno.ENOSPC;
            if (_smes[index] is { } existing && existing.Domain != domain) return Errno.EBUSY;

            if (domain.ContextBank < 0)
            {
                var cb = Array.IndexOf(_banks, null);
                if (cb < 0) return Errno.ENOSPC;
                _banks[cb] = domain;
                domain.Tlb.ContextBank = cb;
                WriteContextBank(domain, cb);
            }

            if (_smes[index] is { } reused)
            {
                reused.References++;
                return Errno.None;
            }

            _smes[index] = new StreamMatchEntry(streamId, mask, domain);
            WriteChecked(Registers + (ulong)(S2crBase + 4 * index), S2crTypeTranslate << S2crTypeShift | (uint)domain.ContextBank);
            WriteChecked(Registers + (ulong)(SmrBase + 4 * index), SmrValid | ((uint)mask & SmrIdMask) << SmrMaskShift | (streamId & SmrIdMask));
            return Errno.None;
        }
    }

    /// <summary>Undoes one <see cref="Attach"/>: the stream entry goes back to fault (or bypass) once its last user leaves.</summary>
    public Errno Detach(IommuDomain domain, ushort streamId, ushort mask = 0)
    {
        ArgumentNullException.ThrowIfNull(domain);
        lock (_gate)
        {
            var index = Array.FindIndex(_smes, e => e is not null && e.Domain == domain && e.Id == streamId && e.Mask == mask);
            if (index < 0) return Errno.ENOENT;
            if (--_smes[index]!.References == 0) ClearStreamMatchEntry(index);
            return Errno.None;
        }
    }

    /// <summary>Called by <see cref="IommuDomain.Free"/>: detach every stream, disable and flush the bank.</summary>
    internal void Release(IommuDomain domain)
    {
        lock (_gate)
        {
            for (var i = 0; i < _smes.Length; i++)
            {
                if (_smes[i]?.Domain == domain) ClearStreamMatchEntry(i);
            }

            var cb = domain.ContextBank;
            if (cb < 0) return;
            WriteBank32(cb, CbSctlr, 0);
            domain.Tlb.InvalidateContext();
            domain.Tlb.ContextBank = -1;
            _banks[cb] = null;
        }
    }

    private void ClearStreamMatchEntry(int index)
    {
        _smes[index] = null;
        WriteChecked(Registers + (ulong)(SmrBase + 4 * index), 0);
        WriteChecked(Registers + (ulong)(S2crBase + 4 * index), (DisableBypass ? S2crTypeFault : S2crTypeBypass) << S2crTypeShift);
    }

    /// <summary>arm_smmu_find_sme: an entry containing (id, mask), else the first free one; partial overlap is -EINVAL.</summary>
    private Errno FindStreamMatchEntry(ushort id, ushort mask, out int index)
    {
        index = -1;
        for (var i = 0; i < _smes.Length; i++)
        {
            if (_smes[i] is not { } e)
            {
                if (index < 0) index = i;
                continue;
            }

            if ((mask & e.Mask) == mask && ((id ^ e.Id) & ~e.Mask & SmrIdMask) == 0)
            {
                index = i;
                return Errno.None;
            }

            if (((id ^ e.Id) & ~(e.Mask | mask) & SmrIdMask) == 0)
            {
                index = -1;
                return Errno.EINVAL;
            }
        }

        return Errno.None;
    }

    /// <summary>arm_smmu_write_context_bank for a stage-1 AArch64 context; ASID = bank number.</summary>
    private void WriteContextBank(IommuDomain domain, int cb)
    {
        var config = domain.PageTable.Config;
        var asid = (ushort)cb;
        WriteChecked(Gr1 + (ulong)(Cba2rBase + 4 * cb), Cba2rVa64);
        WriteChecked(Gr1 + (ulong)(CbarBase + 4 * cb),
            CbarTypeS1TransS2Bypass << CbarTypeShift | 1u << 8 /* BPSHCFG NSH */ | 0xFu << 12 /* MEMATTR WB */ | (uint)cb << CbarIrptNdxShift);
        WriteBank32(cb, CbTcr2, config.Ips | Tcr2As);
        WriteBank32(cb, CbTcr, config.Tcr);
        WriteBank64(cb, CbTtbr0, Ttbr(domain.PageTable.Root, asid));
        WriteBank64(cb, CbTtbr1, Ttbr(PhysAddr.Zero, asid));
        WriteBank32(cb, CbMair0, IoPgTableConfig.Mair0);
        WriteBank32(cb, CbMair1, 0);
        domain.Tlb.InvalidateContext();
        WriteBank32(cb, CbSctlr, SctlrStage1);
    }

    /// <summary>arm_smmu_context_fault: FSR, FSYNR0, FAR, CBFRSYNRA → report_iommu_fault → clear FSR.</summary>
    private void HandleContextFault(int cb)
    {
        if (!IsProbed || cb >= ContextBanks) return;
        var fsr = ReadBank32(cb, CbFsr);
        if ((fsr & FsrFaultBits) == 0) return;
        var fsynr = ReadBank32(cb, CbFsynr0);
        var far = (ulong)ReadBank32(cb, CbFar) | (ulong)ReadBank32(cb, CbFar + 4) << 32;
        var cbfrsynra = ReadChecked(Gr1 + (ulong)(CbfrsynraBase + 4 * cb));
        IommuDomain? domain;
        lock (_gate) domain = _banks[cb];
        var flags = (fsynr & Fsynr0Wnr) != 0 ? IommuFaultFlags.Write : IommuFaultFlags.Read;
        var result = domain?.ReportFault(new Iova(far), flags) ?? Errno.ENOSYS;
        if (result == Errno.ENOSYS)
            Log?.Invoke($"Unhandled context fault: fsr=0x{fsr:x}, iova=0x{far:x}, fsynr=0x{fsynr:x}, cbfrsynra=0x{cbfrsynra:x}, cb={cb}");
        WriteBank32(cb, CbFsr, fsr);
    }
}
