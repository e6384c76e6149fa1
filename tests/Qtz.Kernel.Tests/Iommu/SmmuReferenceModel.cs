using Qtz.Kernel.Iommu;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>
/// The reference for the SMMU properties: a dictionary from 4 KiB page to (PA, prot), plus the list of
/// mapped regions so an unmap can name one exactly (iommu_unmap cannot subdivide a mapping).
/// </summary>
internal sealed class SmmuReferenceModel
{
    private readonly Dictionary<ulong, (ulong Pa, IommuProt Prot)> _pages = [];

    public List<(ulong Iova, ulong Size)> Regions { get; } = [];

    public bool IsFree(ulong iova, ulong size)
    {
        for (var page = iova; page < iova + size; page += 0x1000)
        {
            if (_pages.ContainsKey(page)) return false;
        }

        return true;
    }

    public void Map(ulong iova, ulong pa, ulong size, IommuProt prot)
    {
        for (ulong offset = 0; offset < size; offset += 0x1000) _pages[iova + offset] = (pa + offset, prot);
        Regions.Add((iova, size));
    }

    public void Unmap(int regionIndex)
    {
        var (iova, size) = Regions[regionIndex];
        for (ulong offset = 0; offset < size; offset += 0x1000) _pages.Remove(iova + offset);
        Regions.RemoveAt(regionIndex);
    }

    public bool TryGet(ulong page, out (ulong Pa, IommuProt Prot) entry) => _pages.TryGetValue(page, out entry);
}

/// <summary>One step of a random map/unmap sequence.</summary>
internal abstract record IommuOp;

/// <summary>Map at a page index of the window; pa is iova + 3 GiB + k GiB so page sizes coincide with the unmap's.</summary>
internal sealed record MapOp(ulong Iova, ulong Size, int PaGigabytes, IommuProt Prot) : IommuOp;

/// <summary>Unmap the n-th live region (modulo their count).</summary>
internal sealed record UnmapRegionOp(int Index) : IommuOp;

/// <summary>Unmap a range that may be a hole: expect 0 when the model says it is free.</summary>
internal sealed record UnmapRangeOp(ulong Iova, ulong Size) : IommuOp;
