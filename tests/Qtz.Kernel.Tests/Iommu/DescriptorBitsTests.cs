using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>Prot flags → stage-1 descriptor bits, exactly as spec/iommu.md §A1 tabulates them.</summary>
public class DescriptorBitsTests
{
    private const ulong Page = 3, Block = 1, ApUnpriv = 1 << 6, ApRdonly = 1 << 7, ShOs = 2 << 8, ShIs = 3 << 8;
    private const ulong Af = 1 << 10, NG = 1 << 11, Xn = 3UL << 53, AttrCache = 1 << 2, AttrDev = 2 << 2;
    private readonly IommuTestBoard _board = new();

    [Theory]
    [InlineData(IommuProt.Read, ApUnpriv | ApRdonly | ShOs)]
    [InlineData(IommuProt.Write, ApUnpriv | ShOs)]
    [InlineData(IommuProt.ReadWrite, ApUnpriv | ShOs)]
    [InlineData(IommuProt.ReadWrite | IommuProt.Cache, ApUnpriv | ShIs | AttrCache)]
    [InlineData(IommuProt.ReadWrite | IommuProt.Mmio, ApUnpriv | ShOs | AttrDev)]
    [InlineData(IommuProt.ReadWrite | IommuProt.Mmio | IommuProt.Cache, ApUnpriv | ShIs | AttrDev)]
    [InlineData(IommuProt.Read | IommuProt.NoExec, ApUnpriv | ApRdonly | ShOs | Xn)]
    [InlineData(IommuProt.ReadWrite | IommuProt.Priv, ShOs)]
    public void A_4K_page_gets_the_bits_of_its_prot(IommuProt prot, ulong expectedAttributes)
    {
        var domain = _board.AttachedDomain();
        var pa = IommuTestBoard.Data(0x5000);
        domain.Map(new Iova(0x3000), pa, 0x1000, prot).ThrowIfError("map");
        Assert.Equal(pa.Value | Page | Af | NG | expectedAttributes, Leaf(domain, 0x3000, 3));
    }

    [Fact]
    public void Blocks_use_the_block_type_at_levels_1_and_2()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(1UL << 30), new PhysAddr(2UL << 30), 1UL << 30, IommuProt.Read).ThrowIfError("map");
        domain.Map(new Iova(0x200000), new PhysAddr(0x8040_0000), 0x200000, IommuProt.Read).ThrowIfError("map");
        Assert.Equal((2UL << 30) | Block | Af | NG | ApUnpriv | ApRdonly | ShOs, Leaf(domain, 1UL << 30, 1));
        Assert.Equal(0x8040_0000UL | Block | Af | NG | ApUnpriv | ApRdonly | ShOs, Leaf(domain, 0x200000, 2));
    }

    [Fact]
    public void A_2M_aligned_gigabyte_needs_few_descriptor_writes()
    {
        var domain = _board.AttachedDomain();
        var before = domain.PageTable.DescriptorWrites;
        domain.Map(new Iova(0x4020_0000), new PhysAddr(0x9020_0000), 1UL << 30, IommuProt.ReadWrite).ThrowIfError("map");
        var writes = domain.PageTable.DescriptorWrites - before;
        Assert.InRange(writes, 1, 600);
    }

    [Fact]
    public void The_context_bank_gets_the_tcr_mair_and_ttbr_of_the_table()
    {
        var domain = _board.AttachedDomain();
        var cb = domain.ContextBank;
        Assert.Equal(IoPgTableConfig.Mair0, _board.ReadBank(cb, SmmuRegisters.CbMair0));
        var tcr = _board.ReadBank(cb, SmmuRegisters.CbTcr);
        Assert.Equal(16u, tcr & 0x3F); // T0SZ = 64 - 48
        Assert.Equal(3u, tcr >> 12 & 3); // inner shareable walks (coherent)
        Assert.Equal(0u, tcr >> 14 & 3); // 4 KiB granule
        Assert.Equal((uint)domain.PageTable.Root.Value, _board.ReadBank(cb, SmmuRegisters.CbTtbr0));
        Assert.Equal((uint)cb << 16, _board.ReadBank(cb, SmmuRegisters.CbTtbr0 + 4)); // ASID = bank
        Assert.Equal(1u, _board.ReadBank(cb, SmmuRegisters.CbSctlr) & 1);
    }

    /// <summary>The raw descriptor for iova at a level, walked by hand from the root.</summary>
    private ulong Leaf(IommuDomain domain, ulong iova, int level)
    {
        var table = domain.PageTable.Root.Value;
        for (var l = domain.PageTable.Config.StartLevel; ; l++)
        {
            var shift = 12 + 9 * (3 - l);
            _board.Bus.ReadUInt64(BusMaster.SecureWorld, new PhysAddr(table + (iova >> shift & 511) * 8), out var pte);
            if (l == level) return pte;
            table = pte & 0x0000_FFFF_FFFF_F000UL;
        }
    }
}
