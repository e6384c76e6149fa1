using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Signals;

using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.SystemMmu;

/// <summary>The transaction path: stream matching, TLB, walk, permission checks, fault latching, data.</summary>
public sealed partial class Smmu
{
    /// <summary>
    /// The SMMU's part of one device transaction, without the data transfer: routes the stream,
    /// translates <paramref name="iova"/> and checks permissions. Faults are latched and reported
    /// exactly as for a real transaction (this is what a DSP's access does before it reaches the bus).
    /// </summary>
    public SmmuTranslation Translate(ushort streamId, Iova iova, AccessKind kind, bool privileged = false)
    {
        var route = CachedRoute(streamId & StreamIdMask);
        if (route is not null)
        {
            if (route.Kind == RouteKind.Translate)
            {
                var entry = route.Bank!.Tlb.Lookup(route.Asid, iova.Value);
                if (entry is not null && entry.Allows(kind, route.Privileged(privileged)))
                    return new SmmuTranslation(SmmuStatus.Ok, new PhysAddr(entry.OutputBase | (iova.Value & entry.OffsetMask)));
            }
            else if (route.Kind == RouteKind.Bypass)
            {
                return new SmmuTranslation(SmmuStatus.Ok, new PhysAddr(iova.Value));
            }
        }

        return TranslateSlow(streamId, iova, kind, privileged);
    }

    /// <summary>A device read (or instruction fetch with <see cref="AccessKind.Execute"/>) through the SMMU.</summary>
    public SmmuAccessResult Read(ushort streamId, Vmid vmid, Iova iova, Span<byte> destination, AccessKind kind = AccessKind.Read, bool privileged = false)
    {
        if (kind == AccessKind.Write)
            throw new ArgumentException("a read cannot have the write access kind", nameof(kind));
        return Transfer(streamId, vmid, iova, kind, privileged, destination, default);
    }

    /// <summary>A device write through the SMMU.</summary>
    public SmmuAccessResult Write(ushort streamId, Vmid vmid, Iova iova, ReadOnlySpan<byte> source, bool privileged = false) =>
        Transfer(streamId, vmid, iova, AccessKind.Write, privileged, default, source);

    /// <summary>Translates the whole access, then moves the data page by page as <see cref="BusMaster.Dsp"/>.</summary>
    private SmmuAccessResult Transfer(ushort streamId, Vmid vmid, Iova iova, AccessKind kind, bool privileged, Span<byte> destination, ReadOnlySpan<byte> source)
    {
        var length = kind == AccessKind.Write ? source.Length : destination.Length;
        var check = TranslateAll(streamId, iova, (ulong)length, kind, privileged);
        if (!check.IsOk) return check;
        var master = BusMaster.Dsp(streamId, vmid);
        for (var done = 0; done < length;)
        {
            var at = iova + (ulong)done;
            var n = (int)Math.Min((ulong)(length - done), 0x1000 - (at.Value & 0xFFF));
            var pa = Translate(streamId, at, kind, privileged).Address;
            var status = kind == AccessKind.Write
                ? _bus.Write(master, pa, source.Slice(done, n))
                : _bus.Read(master, pa, destination.Slice(done, n), kind);
            if (status != BusStatus.Ok) return new SmmuAccessResult(SmmuStatus.BusError, at, pa, status);
            done += n;
        }

        return check;
    }

    /// <summary>A handle a device model keeps for its stream: its stream ID, VMID and privilege.</summary>
    public SmmuStreamPort Port(ushort streamId, Vmid vmid, bool privileged = false) => new(this, streamId, vmid, privileged);

    /// <summary>
    /// Bursts never cross a 4 KiB boundary, so a long access is translated page by page; every page
    /// is translated before any data moves, so a fault leaves memory and the destination untouched.
    /// </summary>
    private SmmuAccessResult TranslateAll(ushort streamId, Iova iova, ulong length, AccessKind kind, bool privileged)
    {
        if (length != 0 && length - 1 > ulong.MaxValue - iova.Value)
            throw new ArgumentOutOfRangeException(nameof(length), $"an access of 0x{length:x} bytes at {iova} wraps past 2^64");
        if (length == 0) return new SmmuAccessResult(SmmuStatus.Ok, iova, default, BusStatus.Ok);
        var first = Translate(streamId, iova, kind, privileged);
        if (!first.IsOk) return new SmmuAccessResult(first.Status, iova, default, BusStatus.Ok);
        for (var page = (iova.Value | 0xFFF) + 1; page - iova.Value < length; page += 0x1000)
        {
            var t = Translate(streamId, new Iova(page), kind, privileged);
            if (!t.IsOk) return new SmmuAccessResult(t.Status, new Iova(page), default, BusStatus.Ok);
        }

        return new SmmuAccessResult(SmmuStatus.Ok, iova, first.Address, BusStatus.Ok);
    }

    private SmmuTranslation TranslateSlow(ushort streamId, Iova iova, AccessKind kind, bool privileged)
    {
        SmmuTranslation result;
        SmmuFault? fault = null;
        IrqLine? raise = null;
        lock (_gate)
        {
            var sid = (ushort)(streamId & StreamIdMask);
            var route = RouteOf(sid);
            switch (route.Kind)
            {
                case RouteKind.Bypass:
                    result = new SmmuTranslation(SmmuStatus.Ok, new PhysAddr(iova.Value));
                    break;
                case RouteKind.GlobalFault:
                    raise = LatchGlobal(route.GlobalFault, sid, iova, kind, privileged);
                    fault = new SmmuFault(_bus.Clock.Now, Name, sid, -1, iova, kind, SmmuStatus.StreamFault, _sgfsr, 0);
                    result = new SmmuTranslation(SmmuStatus.StreamFault, default);
                    break;
                default:
                    result = TranslateInBank(route, sid, iova, kind, route.Privileged(privileged), ref fault, ref raise);
                    break;
            }
        }

        raise?.Raise();
        if (fault is { } f) Faulted?.Invoke(f);
        return result;
    }

    private SmmuTranslation TranslateInBank(StreamRoute route, ushort sid, Iova iova, AccessKind kind, bool privileged, ref SmmuFault? fault, ref IrqLine? raise)
    {
        var bank = route.Bank!;
        var entry = bank.Tlb.Lookup(route.Asid, iova.Value);
        var status = SmmuStatus.Ok;
        var level = 3;
        if (entry is null)
        {
            var walk = StageOneWalker.Walk(_bus, bank.WalkContext(_options.OutputAddressBits), iova.Value);
            status = walk.Status;
            level = walk.Level;
            if (walk.Entry is { } fresh) bank.Tlb.Fill(entry = fresh);
        }
        else
        {
            level = 3 - (entry.PageShift - 12) / 9; // inverse of LpaeBits.LeafShift
        }

        if (status == SmmuStatus.Ok && !entry!.Allows(kind, privileged)) status = SmmuStatus.PermissionFault;
        if (status == SmmuStatus.Ok)
            return new SmmuTranslation(SmmuStatus.Ok, new PhysAddr(entry!.OutputBase | (iova.Value & entry.OffsetMask)));

        var fsynr0 = (uint)level | (kind == AccessKind.Write ? Fsynr0Wnr : 0) | (privileged ? Fsynr0Pnu : 0)
                     | (kind == AccessKind.Execute ? Fsynr0Ind : 0) | (status == SmmuStatus.WalkExternalFault ? Fsynr0Ptwf : 0)
                     | (uint)bank.Index << Fsynr0S1CbNdxShift;
        var fsrBit = status switch
        {
            SmmuStatus.PermissionFault => FsrPf,
            SmmuStatus.AccessFlagFault => FsrAff,
            SmmuStatus.AddressSizeFault => FsrAsf,
            SmmuStatus.WalkExternalFault => FsrEf,
            _ => FsrTf,
        };
        if (bank.Latch(fsrBit, iova.Value, fsynr0, sid) && bank.FaultInterruptEnabled) raise = ContextLine(bank);
        fault = new SmmuFault(_bus.Clock.Now, Name, sid, bank.Index, iova, kind, status, bank.Fsr, level);
        return new SmmuTranslation(status, default);
    }

    private IrqLine? LatchGlobal(uint sgfsrBit, ushort sid, Iova iova, AccessKind kind, bool privileged)
    {
        if (_sgfsr != 0)
        {
            _sgfsr |= SGFsrMulti;
            return null;
        }

        _sgfsr = sgfsrBit;
        _sgfar = iova.Value;
        _sgfsynr0 = (kind == AccessKind.Write ? Fsynr0Wnr : 0) | (privileged ? Fsynr0Pnu : 0) | (kind == AccessKind.Execute ? Fsynr0Ind : 0);
        _sgfsynr1 = sid;
        return (_scr0 & SCr0Gfie) != 0 ? GlobalInterrupt : null;
    }

    /// <summary>
    /// Stream matching as §A3 describes it: SMR n matches iff ((SID ^ ID) &amp; ~MASK) == 0. Exactly one
    /// valid SMR must match; none → sCR0.USFCFG decides; several → stream match conflict.
    /// </summary>
    private StreamRoute ComputeRoute(ushort sid)
    {
        if ((_scr0 & SCr0ClientPd) != 0) return StreamRoute.Bypass;
        var match = -1;
        for (var i = 0; i < _smr.Length; i++)
        {
            var smr = _smr[i];
            if ((smr & SmrValid) == 0) continue;
            var id = smr & SmrIdMask;
            var mask = smr >> SmrMaskShift & SmrIdMask;
            if (((sid ^ id) & ~mask & SmrIdMask) != 0) continue;
            if (match >= 0) return StreamRoute.Fault(SGFsrSmcf);
            match = i;
        }

        if (match < 0) return (_scr0 & SCr0UsfCfg) != 0 ? StreamRoute.Fault(SGFsrUsf) : StreamRoute.Bypass;
        var s2cr = _s2cr[match];
        var privCfg = (int)(s2cr >> S2crPrivCfgShift & 3);
        switch (s2cr >> S2crTypeShift & 3)
        {
            case 0:
                var cb = (int)(s2cr & 0xFF);
                if (cb >= _banks.Length) return StreamRoute.Fault(SGFsrIcf);
                var bank = _banks[cb];
                if (bank.CbarType != CbarTypeS1TransS2Bypass) return StreamRoute.Fault(SGFsrUcbf);
                return bank.TranslationEnabled ? StreamRoute.Translate(bank, privCfg) : StreamRoute.Bypass;
            case 1:
                return StreamRoute.Bypass;
            default:
                return StreamRoute.Fault(SGFsrUsf);
        }
    }
}
