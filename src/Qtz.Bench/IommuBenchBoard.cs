using Qtz.Kernel;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Bench;

/// <summary>
/// The bare board the IOMMU rates run on (here and in bench/Qtz.Benchmarks): 64 GiB sparse DDR, an
/// SMMU-500 with its default TLB, Linux at EL2 driving it, one domain attached to one stream.
/// </summary>
public sealed class IommuBenchBoard
{
    public const ushort Stream = 0x1800;
    public static readonly PhysAddr SmmuBase = new(0x1500_0000);
    public static readonly PhysAddr DdrBase = new(0x8000_0000);

    public IommuBenchBoard()
    {
        Bus = new SystemBus(new VirtualClock());
        Bus.AddRam("ddr", DdrBase, 64UL << 30);
        Smmu = global::Qtz.Soc.SystemMmu.Smmu.AddTo(Bus, "apps_smmu", SmmuBase);
        Pages = new PageAllocator(Bus, BusMaster.LinuxEl2, new PhysRange(DdrBase, 256UL << 20));
        Driver = new ArmSmmu(Bus, BusMaster.LinuxEl2, SmmuBase, Pages, Smmu.ContextInterrupts);
        Driver.Probe().ThrowIfError("probe");
        Domain = Driver.AllocateDomain();
        Driver.Attach(Domain, Stream).ThrowIfError("attach");
    }

    public SystemBus Bus { get; }

    public global::Qtz.Soc.SystemMmu.Smmu Smmu { get; }

    public PageAllocator Pages { get; }

    public ArmSmmu Driver { get; }

    public IommuDomain Domain { get; }
}
