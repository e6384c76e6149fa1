using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>
/// A minimal board for IOMMU tests: 64 GiB of sparse DDR, an SMMU-500 on the bus, the kernel's
/// page-table page pool at the start of DDR and a probed arm-smmu driver acting as Linux at EL2.
/// </summary>
internal sealed class IommuTestBoard
{
    public const ushort AdspStream = 0x1800;
    public static readonly PhysAddr SmmuBase = new(0x1500_0000);
    public static readonly PhysAddr DdrBase = new(0x8000_0000);
    public const ulong DdrSize = 64UL << 30;
    public const ulong TablePoolSize = 64UL << 20;

    public IommuTestBoard(SmmuOptions? options = null, ulong tablePoolSize = TablePoolSize)
    {
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", DdrBase, DdrSize);
        Smmu = global::Qtz.Soc.SystemMmu.Smmu.AddTo(Bus, "apps_smmu", SmmuBase, options);
        Pages = new PageAllocator(Bus, BusMaster.LinuxEl2, new PhysRange(DdrBase, tablePoolSize));
        Driver = new ArmSmmu(Bus, BusMaster.LinuxEl2, SmmuBase, Pages, Smmu.ContextInterrupts);
        Driver.Log += Log.Add;
        Driver.Probe().ThrowIfError("probe");
    }

    public VirtualClock Clock { get; } = new(seed: 1);

    public SystemBus Bus { get; }

    public global::Qtz.Soc.SystemMmu.Smmu Smmu { get; }

    public PageAllocator Pages { get; }

    public ArmSmmu Driver { get; }

    public List<string> Log { get; } = [];

    /// <summary>Somewhere in DDR well past the page-table pool, for data.</summary>
    public static PhysAddr Data(ulong offset) => DdrBase + (1UL << 30) + offset;

    public IommuDomain AttachedDomain(ushort stream = AdspStream)
    {
        var domain = Driver.AllocateDomain();
        Driver.Attach(domain, stream).ThrowIfError("attach");
        return domain;
    }

    public uint ReadBank(int cb, int register)
    {
        var globalPages = Smmu.WindowSize / 2 / SmmuRegisters.PageSize; // context banks follow the NUMPAGE global pages
        Bus.ReadUInt32(BusMaster.SecureWorld, SmmuBase + (globalPages + (ulong)cb) * SmmuRegisters.PageSize + (ulong)register, out var v);
        return v;
    }

    public uint ReadGlobal(int register)
    {
        Bus.ReadUInt32(BusMaster.SecureWorld, SmmuBase + (ulong)register, out var v);
        return v;
    }
}
