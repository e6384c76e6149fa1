using Qtz.Soc.Addressing;

namespace Qtz.Soc.Bus;

/// <summary>What the bus decodes an address range to: RAM or a device's registers.</summary>
public sealed class BusWindow
{
    internal BusWindow(string name, PhysRange range, IRamBacking? memory, IMmioDevice? device)
    {
        Name = name;
        Range = range;
        Memory = memory;
        Device = device;
    }

    public string Name { get; }

    public PhysRange Range { get; }

    /// <summary>The backing store when this window is RAM; null for MMIO.</summary>
    public IRamBacking? Memory { get; }

    /// <summary>The device when this window is MMIO; null for RAM.</summary>
    public IMmioDevice? Device { get; }

    public bool IsRam => Memory is not null;

    public override string ToString() => $"{Name} {Range} {(IsRam ? "ram" : "mmio")}";
}
