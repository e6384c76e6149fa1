using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Writers;

/// <summary>
/// Gives a plain ELF (linker output, no hash segment) the layout a signed image needs, the way qtestsign
/// (msm8916-mainline/qtestsign, mbn/hashseg.py) places it for every version 3–7: program header 0 is a
/// PT_NULL placeholder (flags 0x07000000) covering the ELF header and program headers, program header 1
/// the hash segment (PT_NULL, flags 0x02200000: HASH, read-only) at the first 4 KiB boundary after them,
/// with p_paddr the 4 KiB-aligned end of the image in memory and p_memsz rounded up to 4 KiB (SecTools'
/// layout A; its v7 images put the hash segment last instead, which qtestsign does not copy). The original
/// segments follow, repacked in file order after the hash segment. Two differences from qtestsign, both
/// so the result is still a well-formed ELF: a segment keeps p_offset ≡ p_vaddr (mod p_align) rather than
/// being aligned to p_align, and a segment lying inside another (PT_NOTE inside a PT_LOAD) moves with it
/// instead of getting a copy of its own. Like qtestsign, existing placeholders are dropped and the section
/// table is not carried over (e_shoff, e_shnum, e_shstrndx become 0).
/// </summary>
internal static class PlainElfLayout
{
    private const ulong HashAlign = 0x1000;
    // Larger p_align values (seen: 64 KiB in ath10k images) would only pad the file: firmware loaders place segments by p_paddr.
    private const ulong MaxAlign = 0x10000;
    private const uint HashFlags = QcomSegmentFlags.TypeHash | 0x00200000;

    /// <summary>Program headers dropped because they are PT_NULL placeholders of the Qualcomm layout.</summary>
    public static int Placeholders(FirmwareImage image) => image.ProgramHeaders.Count(IsPlaceholder);

    /// <summary>The unsigned image with an all-0xFF hash segment of <paramref name="hashSize"/> bytes, ready to sign.</summary>
    public static byte[] WithHashSegment(FirmwareImage image, ulong hashSize)
    {
        SegmentLayout.Check(image.Elf);
        var h = image.Header;
        var kept = image.ProgramHeaders.Select((p, i) => (Index: i, Phdr: p)).Where(x => !IsPlaceholder(x.Phdr)).ToList();
        if (kept.Count == 0 || kept.Count + 2 > ushort.MaxValue)
            FirmwareThrow.Format($"{image.Name}: a plain ELF to sign needs 1 to {ushort.MaxValue - 2} program headers; it has {kept.Count}");
        var count = kept.Count + 2;
        var headerLength = (ulong)h.HeaderSize + ((ulong)count * (ulong)h.PhEntSize);
        var hashOffset = MdtRules.AlignUp(headerLength);
        var memoryEnd = kept.Select(x => x.Phdr.PhysicalAddress + x.Phdr.MemorySize).Max();
        var hashAddress = MdtRules.AlignUp(memoryEnd);
        var phdrs = new List<ProgramHeader>
        {
            new(ProgramHeaderType.Null, QcomSegmentFlags.TypePhdr, 0, 0, 0, headerLength, 0, 0),
            new(ProgramHeaderType.Null, HashFlags, hashOffset, hashAddress, hashAddress, hashSize, MdtRules.AlignUp(hashSize), HashAlign),
        };
        var moved = Repack(kept.Select(x => x.Phdr).ToList(), hashOffset + hashSize);
        phdrs.AddRange(moved);

        var end = phdrs.Where(p => p.FileSize != 0).Max(p => p.FileEnd);
        if (end > int.MaxValue)
            FirmwareThrow.Format($"{image.Name}: the signed layout would be 0x{end:X} bytes; plain ELFs are signed in memory up to 2 GiB");
        var output = new byte[end];
        image.Main.ReadExactly(0, output.AsSpan(0, h.HeaderSize));
        var header = h with { PhOff = (ulong)h.HeaderSize, EhSize = (ushort)h.HeaderSize, PhNum = (ushort)count, ShOff = 0, ShNum = 0 };
        header.WriteTo(output);
        output.AsSpan(h.Class == ElfClass.Elf32 ? 0x32 : 0x3E, 2).Clear();
        for (var i = 0; i < phdrs.Count; i++)
            phdrs[i].WriteTo(output.AsSpan(h.HeaderSize + (i * h.PhEntSize)), h.Class);
        output.AsSpan((int)hashOffset, (int)hashSize).Fill(0xFF);
        for (var k = 0; k < kept.Count; k++)
        {
            if (kept[k].Phdr.FileSize != 0)
                image.ReadSegment(kept[k].Index, output.AsSpan((int)moved[k].Offset, (int)moved[k].FileSize));
        }

        return output;
    }

    /// <summary>New p_offsets from <paramref name="start"/> on, in file order; nested segments keep their distance to their container.</summary>
    private static ProgramHeader[] Repack(List<ProgramHeader> phdrs, ulong start)
    {
        var result = phdrs.ToArray();
        var order = Enumerable.Range(0, phdrs.Count).Where(i => phdrs[i].FileSize != 0)
            .OrderBy(i => phdrs[i].Offset).ThenByDescending(i => phdrs[i].FileSize).ToList();
        var position = start;
        (ulong OldStart, ulong OldEnd, ulong NewStart)? container = null;
        foreach (var i in order)
        {
            var p = phdrs[i];
            if (container is { } c && p.Offset >= c.OldStart && p.FileEnd <= c.OldEnd)
            {
                result[i] = p with { Offset = c.NewStart + (p.Offset - c.OldStart) };
                continue;
            }

            var align = Math.Clamp(p.Align, 1, MaxAlign);
            var offset = position + ((p.Offset % align) + align - (position % align)) % align;
            result[i] = p with { Offset = offset };
            container = (p.Offset, p.FileEnd, offset);
            position = offset + p.FileSize;
        }

        return result;
    }

    private static bool IsPlaceholder(ProgramHeader p) =>
        p.Type == ProgramHeaderType.Null && (p.Qcom.SegmentType is QcomSegmentType.Phdr or QcomSegmentType.Hash);
}
