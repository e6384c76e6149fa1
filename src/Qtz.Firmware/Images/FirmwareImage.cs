using Qtz.Firmware.Elf;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Images;

/// <summary>
/// A firmware image as Linux finds it: a single .mbn, or a split .mdt + .bNN set, opened from a path,
/// from a /lib/firmware-like search path, or from memory. Holds the parsed ELF header and program headers;
/// segment bytes are read on demand from the file that holds them.
/// </summary>
public sealed class FirmwareImage : IDisposable
{
    private readonly Func<string, ImageSource?> resolve;
    private readonly Dictionary<int, ImageSource?> segmentFiles = [];
    private readonly Lock gate = new();

    private FirmwareImage(string name, ImageSource main, Func<string, ImageSource?> resolve)
    {
        Name = name;
        Main = main;
        this.resolve = resolve;
        var headLength = (int)Math.Min(main.Length, 64);
        var head = main.ReadBytes(0, headLength);
        var header = ElfHeader.Parse(head);
        var tableEnd = header.PhdrTableEnd;
        FirmwareThrow.RequireRange(0, tableEnd, (ulong)main.Length,
            $"{main.Name}: program-header table (e_phoff 0x{header.PhOff:X}, {header.PhNum} × {header.PhEntSize} bytes)");
        Elf = ElfFile.Parse(main.ReadBytes(0, (int)tableEnd));
        HashSegmentIndex = Elf.HashSegmentIndex;
        Form = MdtRules.IsSplit(Elf, main.Length) ? ImageForm.Split : ImageForm.Single;
        if (Form == ImageForm.Split && !LooksSplit())
            FirmwareThrow.Format(TruncationMessage());
    }

    /// <summary>
    /// Linux calls an image split as soon as one segment lies beyond the end of the file, and then asks for
    /// its .bNN. A truncated .mbn fits that rule too, so an image only counts as split when its main file is
    /// an .mdt (the header, optionally followed by the hash segment, and nothing else) or some .bNN exists
    /// beside it; otherwise it is a truncated single image, refused with the offset where it breaks.
    /// </summary>
    private bool LooksSplit()
    {
        var header = ProgramHeaders[0].FileSize;
        var hash = HasHashSegment ? ProgramHeaders[HashSegmentIndex].FileSize : 0;
        var length = (ulong)Main.Length;
        if (length == header || (hash != 0 && header <= length && length - header == hash))
            return true;
        for (var i = 0; i < ProgramHeaders.Count; i++)
        {
            if (ProgramHeaders[i].FileSize == 0 || Name.Length < 4)
                continue;
            lock (gate)
            {
                if (!segmentFiles.TryGetValue(i, out var file))
                    segmentFiles[i] = file = resolve(SegmentFileName.For(Name, i));
                if (file is not null)
                    return true;
            }
        }

        return false;
    }

    private string TruncationMessage()
    {
        var length = (ulong)Main.Length;
        var index = Enumerable.Range(0, ProgramHeaders.Count).First(i => ProgramHeaders[i].FileSize != 0 && ProgramHeaders[i].FileEnd > length);
        var p = ProgramHeaders[index];
        return $"{Main.Name}: truncated at 0x{length:X}: segment {index} (p_offset 0x{p.Offset:X}, p_filesz 0x{p.FileSize:X}) ends at 0x{p.FileEnd:X}, "
            + $"and this is no split image (not an .mdt layout, no {SegmentFileName.For(Name.Length < 4 ? "name" : Name, index)} beside it)";
    }

    /// <summary>A hash-segment program header with bytes: what `verify` needs to check more than the layout.</summary>
    public bool HasHashSegment => HashSegmentIndex >= 0 && ProgramHeaders[HashSegmentIndex].FileSize != 0;

    /// <summary>The firmware name (path or search name) the image was opened by.</summary>
    public string Name { get; }

    /// <summary>The .mbn or .mdt file.</summary>
    public ImageSource Main { get; }

    public ElfFile Elf { get; }

    public ElfHeader Header => Elf.Header;

    public IReadOnlyList<ProgramHeader> ProgramHeaders => Elf.ProgramHeaders;

    /// <summary>Index of the hash segment (first HASH-type phdr from index 1), or -1 when unsigned.</summary>
    public int HashSegmentIndex { get; }

    /// <summary>Split when some segment with file bytes lies beyond the end of the main file (Linux's rule).</summary>
    public ImageForm Form { get; }

    /// <summary>
    /// Opens a file; split segments are looked up beside it by Linux's name rule. With
    /// <paramref name="memoryMap"/> (the default) large segments are streamed through a read-only
    /// mapping (see <see cref="ImageSource.OpenFile"/>); false reads every byte with pread.
    /// </summary>
    public static FirmwareImage Open(string path, bool memoryMap = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new ArgumentException($"'{path}' is a directory; give the image file (.mbn or .mdt) or use a search path", nameof(path));
        var main = ImageSource.OpenFile(path, memoryMap);
        try
        {
            return new FirmwareImage(path, main, name => File.Exists(name) ? ImageSource.OpenFile(name, memoryMap) : null);
        }
        catch
        {
            main.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="firmwareName"/> (e.g. "qcom/sa8775p/adsp.mbn") the way Linux's firmware
    /// loader does: the first directory in <paramref name="searchPath"/> that holds it wins, and every
    /// .bNN is searched for the same way.
    /// </summary>
    public static FirmwareImage OpenFromSearchPath(string firmwareName, IEnumerable<string> searchPath)
    {
        ArgumentNullException.ThrowIfNull(firmwareName);
        var directories = searchPath.ToArray();
        string? Find(string name) => directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        var found = Find(firmwareName)
            ?? throw new FileNotFoundException($"firmware '{firmwareName}' not found in {string.Join(", ", directories)}");
        var main = ImageSource.OpenFile(found);
        try
        {
            return new FirmwareImage(firmwareName, main, name => Find(name) is { } p ? ImageSource.OpenFile(p) : null);
        }
        catch
        {
            main.Dispose();
            throw;
        }
    }

    /// <summary>An image held in memory; <paramref name="segmentFiles"/> supplies .bNN bytes by index for split images.</summary>
    public static FirmwareImage FromMemory(ReadOnlyMemory<byte> file, string name = "image.mbn", Func<int, ReadOnlyMemory<byte>?>? segmentFiles = null) =>
        new(name, ImageSource.FromMemory(file, name), fileName =>
        {
            if (segmentFiles is null || !int.TryParse(fileName.AsSpan(name.Length - 2), out var index)) return null;
            return segmentFiles(index) is { } bytes ? ImageSource.FromMemory(bytes, fileName) : null;
        });

    /// <summary>The file holding segment <paramref name="index"/> and where its bytes start in it.</summary>
    public (ImageSource Source, long Offset) Locate(int index)
    {
        var phdr = ProgramHeaders[index];
        if (phdr.FileSize == 0)
            return (Main, 0);
        if (index == 0 && phdr.Offset == 0 && phdr.FileSize <= (ulong)Main.Length)
            return (Main, 0);
        if (index == HashSegmentIndex)
            return LocateHash(phdr);
        if (Form == ImageForm.Single)
        {
            FirmwareThrow.RequireRange(phdr.Offset, phdr.FileSize, (ulong)Main.Length, $"{Main.Name}: segment {index}");
            return (Main, (long)phdr.Offset);
        }

        return (SegmentFile(index, phdr), 0);
    }

    /// <summary>Where the hash segment's bytes are, in qcom_mdt_read_metadata's order of preference.</summary>
    private (ImageSource, long) LocateHash(ProgramHeader hash)
    {
        var headerSize = ProgramHeaders[0].FileSize;
        if (headerSize <= (ulong)Main.Length && (ulong)Main.Length - headerSize == hash.FileSize)
            return (Main, (long)headerSize);
        if (hash.FileEnd <= (ulong)Main.Length)
            return (Main, (long)hash.Offset);
        return (SegmentFile(HashSegmentIndex, hash), 0);
    }

    private ImageSource SegmentFile(int index, ProgramHeader phdr)
    {
        ImageSource? file;
        var fileName = SegmentFileName.For(Name, index);
        lock (gate)
        {
            if (!segmentFiles.TryGetValue(index, out file))
                segmentFiles[index] = file = resolve(fileName);
        }

        if (file is null)
            throw new FileNotFoundException($"segment {index} of split image '{Name}' lives in '{fileName}', which was not found");
        if ((ulong)file.Length != phdr.FileSize)
            FirmwareThrow.Format($"{file.Name}: {file.Length} bytes, but program header {index} says p_filesz 0x{phdr.FileSize:X} ({phdr.FileSize}); a split segment file must match exactly");
        return file;
    }

    /// <summary>Reads the whole file content of segment <paramref name="index"/> (p_filesz bytes; use for small segments).</summary>
    public byte[] ReadSegment(int index)
    {
        var size = ProgramHeaders[index].FileSize;
        if (size > int.MaxValue)
            FirmwareThrow.Format($"segment {index} is 0x{size:X} bytes, too large to read in one piece");
        var (source, offset) = Locate(index);
        return source.ReadBytes(offset, (int)size);
    }

    /// <summary>Copies segment <paramref name="index"/>'s file bytes into <paramref name="destination"/> (exactly p_filesz long).</summary>
    public void ReadSegment(int index, Span<byte> destination)
    {
        if ((ulong)destination.Length != ProgramHeaders[index].FileSize)
            throw new ArgumentException($"destination is {destination.Length} bytes; segment {index} has p_filesz {ProgramHeaders[index].FileSize}", nameof(destination));
        var (source, offset) = Locate(index);
        source.ReadExactly(offset, destination);
    }

    public void Dispose()
    {
        Main.Dispose();
        foreach (var file in segmentFiles.Values)
            file?.Dispose();
    }
}
