using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Bus;

public class MmioDispatchTests
{
    private static readonly PhysAddr Base = new(0x0A00_0000);
    private readonly SystemBus _bus = new(new VirtualClock());
    private readonly RecordingDevice _device = new();

    public MmioDispatchTests() => _bus.AddMmio("dev", Base, 0x1000, _device);

    [Fact]
    public void A_register_write_reaches_the_device_at_its_offset_with_width_and_master()
    {
        Assert.Equal(BusStatus.Ok, _bus.WriteUInt32(BusMaster.LinuxEl1, Base + 0x40, 0xCAFE));
        Assert.Equal((BusMaster.LinuxEl1, 0x40UL, 4, 0xCAFEUL), Assert.Single(_device.Writes));
    }

    [Fact]
    public void A_register_read_returns_the_device_value()
    {
        _device.Value = 0x1122_3344_5566_7788;
        Assert.Equal(BusStatus.Ok, _bus.ReadUInt64(BusMaster.SecureWorld, Base + 0x8, out var v));
        Assert.Equal(0x1122_3344_5566_7788UL, v);
        Assert.Equal(BusStatus.Ok, _bus.ReadUInt32(BusMaster.SecureWorld, Base + 0x8, out var low));
        Assert.Equal(0x5566_7788u, low);
    }

    [Theory]
    [InlineData(3, 0x0UL)]
    [InlineData(4, 0x2UL)]
    [InlineData(16, 0x0UL)]
    public void Odd_widths_and_misaligned_register_accesses_are_decode_errors(int width, ulong offset)
    {
        Assert.Equal(BusStatus.DecodeError, _bus.Write(BusMaster.LinuxEl1, Base + offset, new byte[width]));
        Assert.Empty(_device.Writes);
        Assert.Equal(1, _bus.FaultCount);
    }

    [Fact]
    public void A_device_refusal_is_a_bus_fault()
    {
        _device.Refuse = true;
        Assert.Equal(BusStatus.Denied, _bus.WriteUInt32(BusMaster.LinuxEl1, Base, 1));
        Assert.Equal(BusStatus.Denied, Assert.Single(_bus.RecentFaults).Status);
    }

    [Fact]
    public void Protection_applies_to_mmio_as_well()
    {
        _bus.Protection.Set(BusMaster.SecureWorld, ProtectionRegion.Exclusive("regs", new PhysRange(Base, 0x1000), AccessPermissions.ReadWrite, Vmid.Tz));
        Assert.Equal(BusStatus.Denied, _bus.WriteUInt32(BusMaster.LinuxEl1, Base, 1));
        Assert.Empty(_device.Writes);
    }

    private sealed class RecordingDevice : IMmioDevice
    {
        public List<(BusMaster Master, ulong Offset, int Width, ulong Value)> Writes { get; } = [];

        public ulong Value { get; set; }

        public bool Refuse { get; set; }

        public string Name => "recorder";

        public BusStatus Read(BusMaster master, ulong offset, int width, out ulong value)
        {
            value = Value;
            return Refuse ? BusStatus.Denied : BusStatus.Ok;
        }

        public BusStatus Write(BusMaster master, ulong offset, int width, ulong value)
        {
            if (Refuse) return BusStatus.Denied;
            Writes.Add((master, offset, width, value));
            return BusStatus.Ok;
        }
    }
}
