using System.Numerics;

namespace Qtz.Soc.Nor;

/// <summary>
/// What a serial-NOR part is: its JEDEC identity, its size, and the units the flash array is organised
/// in (program page, 4 KiB sector, 64 KiB block). Every unit is a power of two and divides the next,
/// which is what lets the chip ignore low address bits exactly as real parts do.
/// </summary>
public sealed record NorGeometry
{
    public NorGeometry(string partName, byte manufacturerId, ushort deviceId, ulong sizeInBytes,
        int pageSize = 256, int sectorSize = 4096, int blockSize = 65536, NorTimings? timings = null, int enduranceCycles = 100_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(partName);
        Require(IsPowerOfTwo((ulong)pageSize) && pageSize <= 4096, $"page size {pageSize} must be a power of two of at most 4096 bytes");
        Require(IsPowerOfTwo((ulong)sectorSize) && sectorSize >= pageSize, $"sector size {sectorSize} must be a power of two of at least one page ({pageSize})");
        Require(IsPowerOfTwo((ulong)blockSize) && blockSize >= sectorSize, $"block size {blockSize} must be a power of two of at least one sector ({sectorSize})");
        Require(IsPowerOfTwo(sizeInBytes) && sizeInBytes >= (ulong)blockSize,
            $"flash size 0x{sizeInBytes:x} must be a power of two of at least one {blockSize}-byte block");
        Require(enduranceCycles > 0, "endurance must be at least one erase cycle");
        PartName = partName;
        ManufacturerId = manufacturerId;
        DeviceId = deviceId;
        SizeInBytes = sizeInBytes;
        PageSize = pageSize;
        SectorSize = sectorSize;
        BlockSize = blockSize;
        Timings = timings ?? NorTimings.W25Q256JW;
        EnduranceCycles = enduranceCycles;
    }

    public string PartName { get; }

    public byte ManufacturerId { get; }

    public ushort DeviceId { get; }

    public ulong SizeInBytes { get; }

    public int PageSize { get; }

    public int SectorSize { get; }

    public int BlockSize { get; }

    public NorTimings Timings { get; }

    /// <summary>Program/erase cycles per sector before the sector wears out.</summary>
    public int EnduranceCycles { get; }

    public long SectorCount => (long)(SizeInBytes / (ulong)SectorSize);

    public long PageCount => (long)(SizeInBytes / (ulong)PageSize);

    /// <summary>The three JEDEC ID bytes (manufacturer, memory type, capacity) as READ ID (9Fh) returns them.</summary>
    public byte[] JedecId => [ManufacturerId, (byte)(DeviceId >> 8), (byte)DeviceId];

    public static bool IsPowerOfTwo(ulong value) => value != 0 && BitOperations.IsPow2(value);

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
