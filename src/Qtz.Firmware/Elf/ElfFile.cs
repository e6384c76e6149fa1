namespace Qtz.Firmware.Elf;

/// <summary>
/// The ELF header and program-header table of an image, parsed from the first bytes of the file.
/// Segment contents are not held here: see <see cref="Images.FirmwareImage"/>.
/// </summary>
public sealed class ElfFile
{
    private ElfFile(ElfHeader header, ProgramHeader[] programHeaders)
    {
        Header = header;
        ProgramHeaders = programHeaders;
    }

    public ElfHeader Header { get; }

    public IReadOnlyList<ProgramHeader> ProgramHeaders { get; }

    /// <summary>
    /// Parses the ELF header and program headers. <paramref name="data"/> must hold at least the
    /// program-header table; <paramref name="fileSize"/> is the whole file's size (for table bounds).
    /// </summary>
    public static ElfFile Parse(ReadOnlySpan<byte> data)
    {
        var header = ElfHeader.Parse(data);
        if (header.PhNum == 0)
            FirmwareThrow.Format("ELF e_phnum is 0: a firmware image needs program headers");
        FirmwareThrow.RequireRange(header.PhOff, (ulong)header.PhNum * header.PhEntSize, (ulong)data.Length,
            $"program-header table (e_phoff 0x{header.PhOff:X}, {header.PhNum} × {header.PhEntSize} bytes)");
        var phdrs = new ProgramHeader[header.PhNum];
        for (var i = 0; i < phdrs.Length; i++)
        {
            var at = (int)header.PhOff + (i * header.PhEntSize);
            phdrs[i] = ProgramHeader.Parse(data.Slice(at, header.PhEntSize), header.Class);
        }

        return new ElfFile(header, phdrs);
    }

    /// <summary>Index of the first program header (from 1) with the HASH segment type, or -1.</summary>
    public int HashSegmentIndex
    {
        get
        {
            for (var i = 1; i < ProgramHeaders.Count; i++)
            {
                if (ProgramHeaders[i].Qcom.IsHash)
                    return i;
            }

            return -1;
        }
    }
}
