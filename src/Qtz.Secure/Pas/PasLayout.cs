using Qtz.Firmware;
using Qtz.Firmware.Elf;
using Qtz.Soc;
using Qtz.Firmware.Mdt;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;

namespace Qtz.Secure.Pas;

/// <summary>
/// Where an authenticated image lives in physical memory: Linux's mdt-loader placement (a relocatable
/// image's segments move by MEM_SETUP base − min p_paddr), the 4 KiB image window, the entry point, and
/// the segments AUTH_AND_RESET must re-hash (PT_LOAD, not the hash segment, p_filesz &gt; 0, not paged /
/// NOTUSED / SHARED).
/// </summary>
internal sealed class PasLayout
{
    private readonly PasImage _image;
    private readonly ulong _delta;

    private PasLayout(PasImage image, ulong delta, PhysRange window, PhysAddr entry, IReadOnlyList<(int, PhysAddr)> hashed)
    {
        _image = image;
        _delta = delta;
        Window = window;
        Entry = entry;
        HashedSegments = hashed;
    }

    public PhysRange Window { get; }

    public PhysAddr Entry { get; }

    public IReadOnlyList<(int Index, PhysAddr At)> HashedSegments { get; }

    public int Hashed => HashedSegments.Count;

    public static PasLayout? Compute(PasImage image, PhysRange? memSetup, PhysRange carveout, out string error)
    {
        error = "";
        var elf = image.Elf;
        (ulong Min, ulong Max) span;
        try
        {
            span = MdtRules.LoadableSpan(elf);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }

        var relocatable = MdtRules.IsRelocatable(elf);
        var basePa = relocatable ? (memSetup?.Base.Value ?? carveout.Base.Value) : span.Min;
        var delta = basePa - span.Min; // wraps for a downward move; additions below wrap back
        var windowStart = (span.Min + delta) & ~(PageSize - 1);
        var windowEnd = span.Max + delta;
        if (windowEnd <= windowStart || !PhysRange.TryCreate(windowStart, windowEnd - windowStart, out var window) || !carveout.Contains(window))
        {
            error = $"image window [0x{span.Min + delta:X}, 0x{windowEnd:X}) does not fit the carveout {carveout}";
            return null;
        }

        if (memSetup is { } m && relocatable && !m.Contains(new PhysRange(new PhysAddr(span.Min + delta), span.Max - span.Min)))
        {
            error = $"image of 0x{span.Max - span.Min:X} bytes does not fit the MEM_SETUP range {m}";
            return null;
        }

        var entry = elf.Header.Entry + delta;
        if (!window.Contains(new PhysAddr(entry)))
        {
            error = $"entry point 0x{entry:X} is outside the image window {window}";
            return null;
        }

        var hashed = new List<(int, PhysAddr)>();
        for (var i = 1; i < elf.ProgramHeaders.Count; i++)
        {
            var p = elf.ProgramHeaders[i];
            if (i == image.HashSegmentIndex || !MdtRules.IsLoadable(p) || p.FileSize == 0 || p.Qcom.IsExcludedFromHashing) continue;
            hashed.Add((i, new PhysAddr(p.PhysicalAddress + delta)));
        }

        if (hashed.Count == 0)
        {
            error = "the image has no hashed segment";
            return null;
        }

        return new PasLayout(image, delta, window, new PhysAddr(entry), hashed);
    }

    /// <summary>What the core is released with: entry, every loaded segment with its p_flags permissions, the device memory.</summary>
    public DspBootImage BootImage(PasPeripheral peripheral)
    {
        var segments = _image.Elf.ProgramHeaders
            .Where((p, i) => i != _image.HashSegmentIndex && MdtRules.IsLoadable(p))
            .Select(p => new DspSegment(new Iova(p.PhysicalAddress + _delta), p.MemorySize, Permissions(p)))
            .ToArray();
        return new DspBootImage(new Iova(Entry.Value), segments,
            [.. peripheral.DeviceMemory.Select(d => d.ToDspRange()), .. peripheral.CompanionCarveouts.Select(c => new DspDeviceRange(new Iova(c.Base.Value), c.Size, AccessPermissions.Read, $"image@{c.Base.Value:x}"))]);
    }

    private static AccessPermissions Permissions(ProgramHeader p) =>
        (p.Qcom.Readable ? AccessPermissions.Read : 0)
        | (p.Qcom.Writable ? AccessPermissions.Write : 0)
        | (p.Qcom.Executable ? AccessPermissions.Execute : 0);

    private const ulong PageSize = 4096;
}
