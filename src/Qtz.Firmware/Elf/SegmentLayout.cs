namespace Qtz.Firmware.Elf;

/// <summary>
/// Structural rules a verifier applies to program headers before trusting them (Linux's loader checks
/// less; <see cref="MdtLoadPlan"/> keeps Linux's rules): sizes fit the ELF class, file ranges of distinct
/// segments do not overlap, loadable memory ranges do not overlap, p_filesz ≤ p_memsz for PT_LOAD.
/// </summary>
public static class SegmentLayout
{
    public static void Check(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var limit = elf.Header.Class == ElfClass.Elf32 ? 1UL << 32 : ulong.MaxValue;
        var phdrs = elf.ProgramHeaders;
        for (var i = 0; i < phdrs.Count; i++)
        {
            var p = phdrs[i];
            if (p.Offset > limit - Math.Min(p.FileSize, limit) || p.FileSize > limit)
                FirmwareThrow.Format($"program header {i}: p_offset 0x{p.Offset:X} + p_filesz 0x{p.FileSize:X} overflows the {elf.Header.Class} address range");
            if (p.PhysicalAddress > limit - Math.Min(p.MemorySize, limit) || p.MemorySize > limit)
                FirmwareThrow.Format($"program header {i}: p_paddr 0x{p.PhysicalAddress:X} + p_memsz 0x{p.MemorySize:X} overflows the {elf.Header.Class} address range");
            if (p.IsLoad && p.FileSize > p.MemorySize)
                FirmwareThrow.Format($"program header {i}: p_filesz 0x{p.FileSize:X} > p_memsz 0x{p.MemorySize:X}");
        }

        CheckOverlap(phdrs, p => p.FileSize != 0, p => (p.Offset, p.FileSize), "file bytes");
        CheckOverlap(phdrs, MdtRules.IsLoadable, p => (p.PhysicalAddress, p.MemorySize), "physical memory");
    }

    private static void CheckOverlap(IReadOnlyList<ProgramHeader> phdrs, Func<ProgramHeader, bool> include, Func<ProgramHeader, (ulong Start, ulong Size)> range, string what)
    {
        var spans = phdrs.Select((p, i) => (Index: i, Phdr: p)).Where(x => include(x.Phdr))
            .Select(x => (x.Index, range(x.Phdr).Start, range(x.Phdr).Size)).Where(x => x.Size != 0).OrderBy(x => x.Start).ToArray();
        for (var k = 1; k < spans.Length; k++)
        {
            var (prevIndex, prevStart, prevSize) = spans[k - 1];
            if (spans[k].Start - prevStart < prevSize)
                FirmwareThrow.Format($"program headers {prevIndex} and {spans[k].Index} overlap in {what} at 0x{spans[k].Start:X}");
        }
    }
}
