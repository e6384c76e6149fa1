using System.Buffers.Binary;
using Xunit;
using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Tests.Fdt;

public class MalformedBlobTests
{
    private static byte[] Ride() => File.ReadAllBytes(RealDtbs.PathOf("sa8775p-ride.dtb"));

    private static uint Word(byte[] blob, int index) => BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(index * 4));

    private static void SetWord(byte[] blob, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(offset), value);

    private static FdtFormatException Rejects(byte[] blob) => Assert.Throws<FdtFormatException>(() => DtTree.Parse(blob));

    [Fact]
    public void Bad_magic_is_rejected_at_offset_0()
    {
        var blob = Ride();
        blob[0] = 0xde;
        var error = Rejects(blob);
        Assert.Equal(0, error.Offset);
        Assert.Contains("bad magic 0xde0dfeed", error.Message);
    }

    [Fact]
    public void Truncated_blob_is_rejected_with_both_sizes()
    {
        var blob = Ride()[..50_000];
        var error = Rejects(blob);
        Assert.Contains("totalsize 93992", error.Message);
        Assert.Contains("only 50000", error.Message);
    }

    [Fact]
    public void Truncated_header_is_rejected() => Rejects(Ride()[..20]);

    [Fact]
    public void Strings_block_past_totalsize_is_rejected()
    {
        var blob = Ride();
        SetWord(blob, 32, Word(blob, 8) + 1);
        Assert.Contains("strings block", Rejects(blob).Message);
    }

    [Fact]
    public void Structure_block_offset_out_of_range_is_rejected()
    {
        var blob = Ride();
        SetWord(blob, 8, 0xffff_fff0);
        Assert.Contains("structure block", Rejects(blob).Message);
    }

    [Fact]
    public void Property_name_offset_outside_the_strings_block_is_rejected()
    {
        var blob = Ride();
        var structOffset = (int)Word(blob, 2);
        var at = FindToken(blob, structOffset, 3);
        SetWord(blob, at + 8, 0x7fff_0000);
        var error = Rejects(blob);
        Assert.Equal(at + 8, error.Offset);
        Assert.Contains("outside the strings block", error.Message);
    }

    [Fact]
    public void Unterminated_string_in_the_strings_block_is_rejected()
    {
        var blob = Ride();
        var stringsOffset = (int)Word(blob, 3);
        var size = (int)Word(blob, 8);
        blob.AsSpan(stringsOffset, size).Fill((byte)'a');
        Assert.Contains("not NUL-terminated", Rejects(blob).Message);
    }

    [Fact]
    public void Property_length_past_the_structure_block_is_rejected()
    {
        var blob = Ride();
        var at = FindToken(blob, (int)Word(blob, 2), 3);
        SetWord(blob, at + 4, 0x1000_0000);
        Assert.Contains("past the end of the structure block", Rejects(blob).Message);
    }

    [Fact]
    public void Unknown_token_is_rejected_with_its_offset()
    {
        var blob = Ride();
        var at = FindToken(blob, (int)Word(blob, 2), 3);
        SetWord(blob, at, 0x77);
        var error = Rejects(blob);
        Assert.Equal(at, error.Offset);
        Assert.Contains("unknown structure token 0x00000077", error.Message);
    }

    [Fact]
    public void Missing_end_token_is_rejected()
    {
        var blob = Ride();
        var structEnd = (int)(Word(blob, 2) + Word(blob, 9));
        SetWord(blob, structEnd - 4, 2); // END becomes an extra END_NODE
        Rejects(blob);
    }

    [Fact]
    public void Token_soup_is_rejected_not_crashed()
    {
        var blob = Ride();
        var structOffset = (int)Word(blob, 2);
        var random = new Random(5);
        for (var i = structOffset + 64; i < structOffset + 4096; i += 4) SetWord(blob, i, (uint)random.Next(0, 10));
        Assert.ThrowsAny<FormatException>(() => DtTree.Parse(blob));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        var tree = new DtTree();
        var node = tree.Root;
        for (var i = 0; i < FdtReader.MaxDepth + 1; i++) node = node.AddChild("n");
        Assert.Contains("nested deeper", Rejects(tree.ToBlob()).Message);
    }

    [Fact]
    public void Old_versions_are_rejected_with_the_version()
    {
        var blob = Ride();
        SetWord(blob, 20, 15);
        Assert.Contains("version 15", Rejects(blob).Message);
    }

    [Fact]
    public void Every_real_dtb_passes_tree_validation()
    {
        foreach (var name in RealDtbs.Names) RealDtbs.Load(name).Validate();
    }

    [Fact]
    public void An_interrupt_parent_cycle_is_a_typed_error_naming_the_loop()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        var a = tree.Root.AddChild("loop-a");
        var b = tree.Root.AddChild("loop-b");
        a.SetCells("phandle", 0x7001);
        b.SetCells("phandle", 0x7002);
        a.SetCells("interrupt-parent", 0x7002);
        b.SetCells("interrupt-parent", 0x7001);
        a.SetCells("interrupts", 1);
        var error = Assert.Throws<DtValueException>(tree.Validate);
        Assert.Contains("loops", error.Message);
        Assert.Equal("/loop-a", error.NodePath);
    }

    [Fact]
    public void An_absurd_cell_count_is_a_typed_error()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        tree.GetNode("/soc@0").SetCells("#address-cells", 0x10000);
        Assert.Contains("absurd", Assert.Throws<DtValueException>(tree.Validate).Message);
        Assert.Throws<DtValueException>(() => tree.GetNode("/soc@0/remoteproc@30000000").GetReg());
    }

    [Fact]
    public void A_duplicate_phandle_is_a_typed_error()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        tree.GetNode("/cpus").SetCells("phandle", tree.GetNode("/soc@0/iommu@15000000").Phandle!.Value);
        Assert.Contains("also used by", Assert.Throws<DtValueException>(tree.Validate).Message);
    }

    private static int FindToken(byte[] blob, int start, uint token)
    {
        for (var i = start; ; i += 4)
            if (Word(blob, i / 4) == token && i % 4 == 0) return i;
    }
}
