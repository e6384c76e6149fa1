using System.Buffers.Binary;
using Qtz.Firmware.ResourceTables;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Tests.Remoteproc;

/// <summary>What the fake TZ knows about one PAS id: carveout, the DSP it releases, its resource table.</summary>
internal sealed class FakePasPeripheral
{
    public required PhysRange Carveout { get; init; }

    public required DspCore Dsp { get; init; }

    /// <summary>The boot image the DSP is released with (entry, loaded segments, device memory).</summary>
    public required Func<DspBootImage> BootImage { get; init; }

    public IReadOnlyList<DevMemResource> Devmem { get; init; } = [];

    public string State { get; set; } = "idle";

    public PhysAddr MetadataAddress { get; set; }
}

/// <summary>
/// A scripted secure monitor answering the PAS SMCs per spec/scm-pas.md §2 (the kernel tests cannot see
/// Qtz.Secure): IS_CALL_AVAIL, SHM bridge enable/create/delete, INIT_IMAGE (metadata buffer rules per
/// caller EL), MEM_SETUP, AUTH_AND_RESET (carveout bridge required at EL2; releases the DSP), SHUTDOWN
/// (asserts reset), IS_SUPPORTED, GET_RSCTABLE (16 KiB / buffer-not-sufficient contract). It does not
/// authenticate anything: <see cref="RefuseAuth"/> and friends script refusals.
/// </summary>
internal sealed class FakePasMonitor(SystemBus bus) : ISecureMonitor
{
    private ulong _nextHandle = 0x100;

    public Dictionary<uint, FakePasPeripheral> Peripherals { get; } = [];

    public List<(ulong Handle, PhysRange Range)> Bridges { get; } = [];

    /// <summary>"INIT_IMAGE 1", "BRIDGE_CREATE 0x…", "AUTH_AND_RESET 1", … in arrival order.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Refuse INIT_IMAGE from EL2 when the metadata is not inside an SHM bridge.</summary>
    public bool StrictEl2Metadata { get; set; }

    /// <summary>At EL2, AUTH_AND_RESET needs a live bridge over the carveout (spec §10.4).</summary>
    public bool RequireCarveoutBridgeAtEl2 { get; set; } = true;

    /// <summary>x1 (result[0]) AUTH_AND_RESET answers instead of success; null = succeed.</summary>
    public long? RefuseAuth { get; set; }

    /// <summary>x0 status GET_RSCTABLE answers with (e.g. -1 for the old-TZ -EIO); null = follow the contract.</summary>
    public long? RscTableStatus { get; set; }

    /// <summary>Size TZ claims the table has (to test the retry and the 1 GiB limit); null = the real size.</summary>
    public Func<int, ulong>? ClaimedRscTableSize { get; set; }

    /// <summary>Every GET_RSCTABLE input table, as the caller passed it.</summary>
    public List<byte[]> RscTableInputs { get; } = [];

    public SmcResult Handle(in SmcCall call)
    {
        var id = call.FunctionId;
        if (!id.IsScm) return SmcResult.FromStatus(-4);
        return (id.Service, id.Command) switch
        {
            (0x06, 0x01) => new SmcResult(0, 1),
            (0x0C, 0x1C) => new SmcResult(0, 0),
            (0x0C, 0x1E) => BridgeCreate(call),
            (0x0C, 0x1D) => BridgeDelete(call),
            (0x02, 0x01) => InitImage(call),
            (0x02, 0x02) => Pas(call, "MEM_SETUP", p => p.State == "init" ? Ok(p, "init") : Fail(-2)),
            (0x02, 0x05) => AuthAndReset(call),
            (0x02, 0x06) => Pas(call, "SHUTDOWN", p =>
            {
                p.Dsp.AssertReset();
                return Ok(p, "idle");
            }),
            (0x02, 0x07) => new SmcResult(0, Peripherals.ContainsKey((uint)call.X2) ? 1UL : 0UL),
            (0x02, 0x21) => GetRscTable(call),
            _ => SmcResult.FromStatus(-4),
        };
    }

    private SmcResult BridgeCreate(in SmcCall call)
    {
        var handle = _nextHandle++;
        var range = new PhysRange(new PhysAddr(call.X2 & ~0xFFFUL), call.X4 & ~0xFFFUL);
        Bridges.Add((handle, range));
        Log.Add($"BRIDGE_CREATE {range.Base}+0x{range.Size:x}");
        return new SmcResult(0, 0, handle);
    }

    private SmcResult BridgeDelete(in SmcCall call)
    {
        var handle = call.X2;
        var removed = Bridges.RemoveAll(b => b.Handle == handle);
        Log.Add($"BRIDGE_DELETE 0x{handle:x}");
        return removed == 1 ? new SmcResult(0) : SmcResult.FromStatus(-2);
    }

    private bool Bridged(PhysAddr address, ulong size) => Bridges.Any(b => b.Range.Contains(address, size));

    private SmcResult InitImage(SmcCall call) => Pas(call, "INIT_IMAGE", p =>
    {
        var address = new PhysAddr(call.X3);
        Span<byte> magic = stackalloc byte[4];
        bus.Read(BusMaster.SecureWorld, address, magic);
        if (!magic.SequenceEqual("\u007fELF"u8)) return Fail(-2);
        var el2 = call.Caller.ExceptionLevel == 2;
        var bridged = Bridged(address, 4);
        if (!el2 && bridged) return Fail(-3); // EL1 (hypervisor present): must not already be bridged
        if (el2 && !bridged && StrictEl2Metadata) return Fail(-3);
        p.MetadataAddress = address;
        return Ok(p, "init");
    });

    private SmcResult AuthAndReset(SmcCall call) => Pas(call, "AUTH_AND_RESET", p =>
    {
        if (p.State != "init") return Fail(-2);
        if (call.Caller.ExceptionLevel == 2 && RequireCarveoutBridgeAtEl2 && !Bridged(p.Carveout.Base, p.Carveout.Size)) return Fail(-3);
        if (RefuseAuth is { } refusal) return new SmcResult(0, (ulong)refusal);
        p.Dsp.ReleaseReset(p.BootImage());
        return Ok(p, "running");
    });

    private SmcResult GetRscTable(SmcCall call) => Pas(call, "GET_RSCTABLE", p =>
    {
        Span<byte> ext = stackalloc byte[ScmExtArgs.SizeInBytes(SmcConvention.Smc64)];
        bus.Read(BusMaster.SecureWorld, new PhysAddr(call.X5), ext);
        var outAddress = ScmExtArgs.Decode(ext, SmcConvention.Smc64, 0);
        var outSize = ScmExtArgs.Decode(ext, SmcConvention.Smc64, 1);
        var input = new byte[Math.Min(call.X4, 0x10000)];
        bus.Read(BusMaster.SecureWorld, new PhysAddr(call.X3), input);
        RscTableInputs.Add(input);
        Log.Add($"GET_RSCTABLE in 0x{call.X4:x} bytes (num {BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(4))}) out 0x{outSize:x}");
        if (RscTableStatus is { } status) return SmcResult.FromStatus(status);
        var table = ResourceTable.FromDevMem(p.Devmem).ToBytes();
        var size = ClaimedRscTableSize?.Invoke(table.Length) ?? (ulong)table.Length;
        if (outSize < size) return new SmcResult(unchecked((ulong)-1L), 0, global::Qtz.Kernel.ScmClient.Scm.RscTableBufferNotSufficient, size);
        bus.Write(BusMaster.SecureWorld, new PhysAddr(outAddress), table);
        return new SmcResult(0, 0, 0, size);
    });

    private SmcResult Pas(in SmcCall call, string name, Func<FakePasPeripheral, SmcResult> handle)
    {
        var pasId = (uint)call.X2;
        Log.Add($"{name} {pasId}");
        return Peripherals.TryGetValue(pasId, out var p) ? handle(p) : Fail(-4);
    }

    private static SmcResult Ok(FakePasPeripheral p, string state)
    {
        p.State = state;
        return new SmcResult(0);
    }

    private static SmcResult Fail(long status) => SmcResult.FromStatus(status);
}

/// <summary>A DSP's memory path without an SMMU (QHEE programs it; here: identity onto the bus).</summary>
internal sealed class DirectPort(SystemBus bus, BusMaster master) : IDspMemoryPort
{
    public SmmuAccessResult Read(Iova iova, Span<byte> destination, AccessKind kind)
    {
        var status = bus.Read(master, new PhysAddr(iova.Value), destination, kind);
        return new SmmuAccessResult(status == BusStatus.Ok ? SmmuStatus.Ok : SmmuStatus.BusError, iova, new PhysAddr(iova.Value), status);
    }

    public SmmuAccessResult Write(Iova iova, ReadOnlySpan<byte> source)
    {
        var status = bus.Write(master, new PhysAddr(iova.Value), source);
        return new SmmuAccessResult(status == BusStatus.Ok ? SmmuStatus.Ok : SmmuStatus.BusError, iova, new PhysAddr(iova.Value), status);
    }
}
