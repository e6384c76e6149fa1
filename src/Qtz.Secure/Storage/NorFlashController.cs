using Qtz.Soc.Nor;

namespace Qtz.Secure.Storage;

/// <summary>
/// TZ's QSPI flash driver: turns block-level requests into NOR command sequences (64 KiB block erase
/// where a run is aligned, 4 KiB sector erase elsewhere; page programs; fast reads) and moves the
/// data by scatter-gather DMA straight between the chip and the caller's buffer, a chunk of at most
/// <see cref="DmaChunk"/> bytes per descriptor list, the way the QSPI controller's DMA does. Reports
/// failure when the chip lost power mid-request or a chunk's buffer could not be reached.
/// </summary>
internal sealed class NorFlashController(NorChip chip)
{
    public const int DmaChunk = 256 << 10;
    private readonly List<Memory<byte>> _segments = [];
    private readonly List<ReadOnlyMemory<byte>> _sources = [];

    /// <summary>Fills <paramref name="segments"/> with the buffer bytes [offsetInRequest, +length); false when they cannot be reached.</summary>
    public delegate bool DmaTarget(ulong offsetInRequest, int length, List<Memory<byte>> segments);

    public NorGeometry Geometry => chip.Geometry;

    public bool Read(ulong offset, ulong length, DmaTarget target)
    {
        for (ulong done = 0; done < length;)
        {
            var n = (int)Math.Min((ulong)DmaChunk, length - done);
            _segments.Clear();
            if (!target(done, n, _segments)) return false;
            chip.Read(offset + done, _segments);
            if (!chip.IsPowered) return false;
            done += (ulong)n;
        }

        return true;
    }

    public bool Write(ulong offset, ulong length, TzWriteSemantics semantics, DmaTarget source)
    {
        for (ulong done = 0; done < length;)
        {
            var n = (int)Math.Min((ulong)DmaChunk, length - done);
            _segments.Clear();
            if (!source(done, n, _segments)) return false;
            if (semantics == TzWriteSemantics.EraseProgram && !Erase(offset + done, (ulong)n)) return false;
            _sources.Clear();
            foreach (var segment in _segments) _sources.Add(segment);
            chip.ProgramSequence(offset + done, _sources);
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
