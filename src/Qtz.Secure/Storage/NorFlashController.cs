using Qtz.Soc.Nor;

namespace Qtz.Secure.Storage;

/// <summary>
/// TZ's QSPI flash driver: turns block-level requests into NOR command sequences (64 KiB block erase
/// where a run is aligned, 4 KiB sector erase elsewhere; page programs; fast reads) and moves the
/// data through a small staging buffer, the way firmware DMA does. Reports failure when the chip
/// lost power mid-request.
/// </summary>
internal sealed class NorFlashController(NorChip chip)
{
    // Staging stays cache-sized: 64 KiB per step.
    private const int Staging = 64 << 10;
    private readonly byte[] _staging = new byte[Staging];

    public delegate bool ChunkSink(ReadOnlySpan<byte> chunk, ulong offsetInRequest);

    public delegate bool ChunkSource(Span<byte> chunk, ulong offsetInRequest);

    public NorGeometry Geometry => chip.Geometry;

    public bool Read(ulong offset, ulong length, ChunkSink sink)
    {
        for (ulong done = 0; done < length;)
        {
            var n = (int)Math.Min((ulong)Staging, length - done);
            var chunk = _staging.AsSpan(0, n);
            chip.Read(offset + done, chunk);
            if (!chip.IsPowered || !sink(chunk, done)) return false;
            done += (ulong)n;
        }

        return true;
    }

    public bool Write(ulong offset, ulong length, TzWriteSemantics semantics, ChunkSource source)
    {
        for (ulong done = 0; done < length;)
        {
            var n = (int)Math.Min((ulong)Staging, length - done);
            var chunk = _staging.AsSpan(0, n);
            if (!source(chunk, done)) return false;
            if (semantics == TzWriteSemantics.EraseProgram && !Erase(offset + done, (ulong)n)) return false;
            chip.ProgramSequence(offset + done, chunk);
            if (!chip.IsPowered) return false;
            done += (ulong)n;
        }

        return true;
    }

    public bool Erase(ulong offset, ulong length)
    {
        var sector = (ulong)Geometry.SectorSize;
        var block = (ulong)Geometry.BlockSize;
        var end = offset + length;
        while (offset < end)
        {
            if (offset % block == 0 && end - offset >= block)
            {
                var blocks = (end - offset) / block;
                chip.EraseSequence(NorEraseUnit.Block64, offset, (long)blocks);
                offset += blocks * block;
            }
            else
            {
                var untilBlock = Math.Min(end, (offset / block + 1) * block);
                var sectors = (untilBlock - offset) / sector;
                chip.EraseSequence(NorEraseUnit.Sector, offset, (long)sectors);
                offset += sectors * sector;
            }

            if (!chip.IsPowered) return false;
        }

        return true;
    }
}
