using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Elf;

/// <summary>
/// Structural rules over the program headers, no stricter than Linux's mdt_loader. Refused (thrown) is
/// only what no loader can use: a range that overflows the ELF class, or a loadable segment with
/// p_filesz &gt; p_memsz (__qcom_mdt_load rejects it). Everything Linux loads is accepted; what is merely
/// unusual comes back as a <see cref="LayoutWarning"/>.
/// </summary>
public static class SegmentLayout
{
    public static IReadOnlyList<LayoutWarning> Check(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var limit = elf.Header.Class == ElfClass.Elf32 ? 1UL << 32 : ulong.MaxValue;
        var phdrs = elf.ProgramHeaders;
        var warnings = new List<LayoutWarning>();
        for (var i = 0; i < phdrs.Count; i++)
        {
            var p = phdrs[i];
            if (p.Offset > limit - Math.Min(p.FileSize, limit) || p.FileSize > limit)
                FirmwareThrow.Format($"program header {i}: p_offset 0x{p.Offset:X} + p_filesz 0x{p.FileSize:X} overflows the {elf.Header.Class} address range");
            if (p.PhysicalAddress > limit - Math.Min(p.MemorySize, limit) || p.MemorySize > limit)
                FirmwareThrow.Format($"program header {i}: p_paddr 0x{p.PhysicalAddress:X} + p_memsz 0x{p.MemorySize:X} overflows the {elf.Header.Class} address range");
            if (MdtRules.IsLoadable(p) && p.FileSize > p.MemorySize)
                FirmwareThrow.Format($"program header {i}: p_filesz 0x{p.FileSize:X} > p_memsz 0x{p.MemorySize:X} (Linux refuses to load such a segment)");
            if (p.IsLoad && !MdtRules.IsLoadable(p) && p.FileSize > p.MemorySize)
                warnings.Add(new LayoutWarning(i, i, $"program header {i}: PT_LOAD with p_filesz 0x{p.FileSize:X} and p_memsz 0 is never loaded"));
        }

        // ath10k/WCN3990/hw1.0/wlanmdsp.mbn: its PT_DYNAMIC and PT_NOTE lie inside the PT_LOAD that
        // carries them, as in any linker output. That is the normal ELF layout, so it is not even a warning.
        var loads = phdrs.Select((p, i) => (Index: i, Phdr: p)).Where(x => x.Phdr.IsLoad && x.Phdr.FileSize != 0).ToArray();
        var containers = new FileRangeIndex(loads.Select(x => (x.Phdr.Offset, x.Phdr.FileEnd)));
        bool NestedInLoad(ProgramHeader p) => !p.IsLoad && p.Type != ProgramHeaderType.Null && containers.Contains(p.Offset, p.FileEnd);
        Overlaps(phdrs, p => p.FileSize != 0 && !NestedInLoad(p), p => (p.Offset, p.FileSize), "file bytes", warnings);

        // qcom/aic100/fw2.bin maps two LOADs at p_paddr 0x18F78000, and ath11k/QCA6390/hw2.0/amss.bin has a
        // LOAD inside another one's memory: __qcom_mdt_load copies them in order, the later one wins.
        Overlaps(phdrs, MdtRules.IsLoadable, p => (p.PhysicalAddress, p.MemorySize), "physical memory", warnings);
        return warnings;
    }

    /// <summary>One warning per range that starts inside an earlier one (sorted sweep: O(n log n) for 65535 phdrs).</summary>
    private static void Overlaps(IReadOnlyList<ProgramHeader> phdrs, Func<ProgramHeader, bool> include, Func<ProgramHeader, (ulong Start, ulong Size)> range, string what, List<LayoutWarning> warnings)
    {
        var spans = phdrs.Select((p, i) => (Index: i, Phdr: p)).Where(x => include(x.Phdr))
            .Select(x => (x.Index, range(x.Phdr).Start, range(x.Phdr).Size)).Where(x => x.Size != 0).OrderBy(x => x.Start).ThenBy(x => x.Index).ToArray();
        var (widest, widestEnd) = (-1, 0UL);
        foreach (var (index, start, size) in spans)
        {
            if (widest >= 0 && start < widestEnd)
                warnings.Add(new LayoutWarning(widest, index, $"program headers {widest} and {index} overlap in {what} at 0x{start:X}"));
            var end = start > ulong.MaxValue - size ? ulong.MaxValue : start + size;
            if (widest < 0 || end > widestEnd)
                (widest, widestEnd) = (index, end);
        }
    }

    /// <summary>Answers "does some [start, end) hold this range" with a sorted array and running maximum ends.</summary>
    private sealed class FileRangeIndex
    {
        private readonly ulong[] starts;
        private readonly ulong[] maxEnds;

        public FileRangeIndex(IEnumerable<(ulong Start, ulong End)> ranges)
        {
            var sorted = ranges.OrderBy(r => r.Start).ToArray();
            starts = sorted.Select(r => r.Start).ToArray();
            maxEnds = new ulong[sorted.Length];
            for (var k = 0; k < sorted.Length; k++)
                maxEnds[k] = Math.Max(sorted[k].End, k == 0 ? 0 : maxEnds[k - 1]);
        }

        public bool Contains(ulong start, ulong end)
        {
            var k = Array.BinarySearch(starts, start);
            if (k < 0) k = ~k - 1;
            else while (k + 1 < starts.Length && starts[k + 1] == start) k++;
            return k >= 0 && maxEnds[k] >= end;
        }
    }
}
