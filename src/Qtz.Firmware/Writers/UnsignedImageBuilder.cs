using Qtz.Firmware.Elf;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Writers;

/// <summary>
/// Builds an unsigned ELF image in the Qualcomm layout (phdr 0 = header placeholder, phdr 1 = empty hash
/// segment placeholder, then PT_LOAD segments) with deterministic pseudo-random contents: for tests,
/// fuzzing and benchmarks. Streams, so a 1 GiB image never sits in memory.
/// </summary>
public sealed class UnsignedImageBuilder
{
    public ElfClass Class { get; init; } = ElfClass.Elf32;

    /// <summary>Sizes of the PT_LOAD segments' file bytes; p_memsz adds <see cref="ZeroFillSize"/>.</summary>
    public IReadOnlyList<long> SegmentSizes { get; init; } = [4096, 1000];

    public long ZeroFillSize { get; init; } = 256;

    public ulong PhysicalBase { get; init; } = 0x8B000000;

    public bool Relocatable { get; init; } = true;

    /// <summary>Adds a trailing PT_LOAD with p_filesz 0 (a BSS-only segment).</summary>
    public bool AddZeroInitSegment { get; init; } = true;

    public int Seed { get; init; } = 1;

    public void Write(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ehSize = Class == ElfClass.Elf32 ? ElfHeader.Elf32Size : ElfHeader.Elf64Size;
        var phEnt = Class == ElfClass.Elf32 ? ElfHeader.Elf32PhEntSize : ElfHeader.Elf64PhEntSize;
        var count = 2 + SegmentSizes.Count + (AddZeroInitSegment ? 1 : 0);
        var headerLength = ehSize + (count * phEnt);
        var phdrs = new List<ProgramHeader>
        {
            new(ProgramHeaderType.Null, QcomSegmentFlags.TypePhdr, 0, 0, 0, (ulong)headerLength, 0, 0),
            new(ProgramHeaderType.Null, QcomSegmentFlags.TypeHash | 0x00200000, 0x1000, 0, PhysicalBase, 0, 0x1000, 0x1000),
        };
        var address = PhysicalBase;
        var flags = 5u | (Relocatable ? QcomSegmentFlags.Relocatable : 0);
        foreach (var (offset, size) in SegmentOffsets().Zip(SegmentSizes))
        {
            phdrs.Add(new ProgramHeader(ProgramHeaderType.Load, flags, offset, address, address, (ulong)size, (ulong)(size + ZeroFillSize), 0x1000));
            address = MdtRules.AlignUp(address + (ulong)(size + ZeroFillSize));
        }

        if (AddZeroInitSegment)
            phdrs.Add(new ProgramHeader(ProgramHeaderType.Load, 6u | (Relocatable ? QcomSegmentFlags.Relocatable : 0), 0, address, address, 0, 0x2000, 0x1000));

        var header = new byte[headerLength];
        "\u007fELF"u8.CopyTo(header);
        header[6] = 1;
        new ElfHeader(Class, 2, 164, PhysicalBase, (ulong)ehSize, 0, 0x73, (ushort)ehSize, (ushort)phEnt, (ushort)count, 0, 0).WriteTo(header);
        for (var i = 0; i < count; i++)
            phdrs[i].WriteTo(header.AsSpan(ehSize + (i * phEnt)), Class);

        output.SetLength(0);
        output.Write(header);
        var random = new Random(Seed);
        // no bigger than the largest segment: a default board builds five images of ~100 KiB segments
        var chunk = new byte[(int)Math.Clamp(SegmentSizes.DefaultIfEmpty(0).Max(), 1, 1 << 20)];
        for (var i = 2; i < 2 + SegmentSizes.Count; i++)
        {
            output.Position = (long)phdrs[i].Offset;
            var remaining = (long)phdrs[i].FileSize;
            while (remaining > 0)
            {
                var n = (int)Math.Min(chunk.Length, remaining);
                random.NextBytes(chunk.AsSpan(0, n));
                output.Write(chunk, 0, n);
                remaining -= n;
            }
        }

        output.Flush();
    }

    private const ulong FirstSegmentOffset = 0x2000;

    /// <summary>Where each LOAD segment starts in the file: the first at 0x2000, each next page-aligned after the one before.</summary>
    private IEnumerable<ulong> SegmentOffsets()
    {
        var offset = FirstSegmentOffset;
        foreach (var size in SegmentSizes)
        {
            yield return offset;
            offset = MdtRules.AlignUp(offset + (ulong)size);
        }
    }

    public byte[] Build()
    {
        // Sized up front: growing by doubling copied each image several times over on the large-object heap.
        var length = SegmentSizes.Count == 0 ? FirstSegmentOffset : SegmentOffsets().Last() + (ulong)SegmentSizes[^1];
        using var memory = new MemoryStream((int)Math.Min(length, (ulong)Array.MaxLength));
        Write(memory);
        return memory.Length == memory.Capacity ? memory.GetBuffer() : memory.ToArray();
    }
}
