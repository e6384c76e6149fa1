namespace Qtz.Soc.Bus;

/// <summary>
/// A device's register window. The bus hands it single, naturally aligned 1/2/4/8-byte accesses at an
/// offset inside the window, with the master that made them (some registers are secure-only).
/// </summary>
public interface IMmioDevice
{
    string Name { get; }

    BusStatus Read(BusMaster master, ulong offset, int width, out ulong value);

    BusStatus Write(BusMaster master, ulong offset, int width, ulong value);
}
