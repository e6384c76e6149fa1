using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Qtz.Firmware.ResourceTables;
using Xunit;

namespace Qtz.Firmware.Tests.ResourceTables;

public sealed class ResourceTableTests
{
    private static readonly DevMemResource Lpass = new(0x110000, 0x110000, 0x4000, 1, 0, "lpass-csr");

    [Fact]
    public void A_devmem_table_round_trips_through_its_wire_form()
    {
        var table = ResourceTable.FromDevMem([Lpass, new DevMemResource(0x123000, 0x123000, 0x1000, 3, 0, "qdsp6ss")]);

        var parsed = ResourceTable.Parse(table.ToBytes());

        Assert.Equal(1u, parsed.Version);
        Assert.Equal([Lpass, new DevMemResource(0x123000, 0x123000, 0x1000, 3, 0, "qdsp6ss")], parsed.DevMem);
    }

    [Fact]
    public void The_empty_request_table_Linux_sends_is_sixteen_zero_bytes()
    {
        Assert.Equal(new byte[16], ResourceTable.Empty.ToBytes());
        Assert.Empty(ResourceTable.Parse(new byte[16]).Entries);
    }

    [Fact]
    public void Devmem_layout_is_type_then_da_pa_len_flags_reserved_name()
    {
        var bytes = ResourceTable.FromDevMem([Lpass]).ToBytes();
        var entry = bytes.AsSpan(20);
        Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(entry));
        Assert.Equal(0x110000u, BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]));
        Assert.Equal(0x4000u, BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]));
        Assert.Equal((byte)'l', entry[24]);
        Assert.Equal(20 + 4 + 52, bytes.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void A_table_shorter_than_its_header_is_rejected(int length) =>
        Assert.Throws<ResourceTableException>(() => ResourceTable.Parse(new byte[length]));

    [Fact]
    public void An_entry_count_larger_than_the_table_is_rejected()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 0x4000_0000);
        var error = Assert.Throws<ResourceTableException>(() => ResourceTable.Parse(bytes));
        Assert.Contains("entry offsets", error.Message);
    }

    [Fact]
    public void An_entry_offset_pointing_outside_the_table_is_rejected()
    {
        var bytes = ResourceTable.FromDevMem([Lpass]).ToBytes();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 0xFFFF_FFF0);
        Assert.Contains("outside", Assert.Throws<ResourceTableException>(() => ResourceTable.Parse(bytes)).Message);
    }

    [Fact]
    public void A_truncated_devmem_entry_is_rejected_with_its_index()
    {
        var bytes = ResourceTable.FromDevMem([Lpass]).ToBytes()[..^1];
        Assert.Contains("entry 0", Assert.Throws<ResourceTableException>(() => ResourceTable.Parse(bytes)).Message);
    }

    [Fact]
    public void Unsupported_versions_and_nonzero_reserved_words_are_rejected()
    {
        var bytes = ResourceTable.FromDevMem([Lpass]).ToBytes();
        bytes[0] = 2;
        Assert.Throws<ResourceTableException>(() => ResourceTable.Parse(bytes));
        bytes[0] = 1;
        bytes[9] = 1;
        Assert.Throws<ResourceTableException>(() => ResourceTable.Parse(bytes));
    }

    [Fact]
    public void Any_devmem_list_round_trips()
    {
        var entry =
            from address in Gen.Choose(0, int.MaxValue)
            from flags in Gen.Choose(1, 31)
            from name in Gen.Elements("", "a", "lpass-csr", new string('n', 40))
            select new DevMemResource((uint)address & ~0xFFFu, (uint)address & ~0xFFFu, 0x1000, (uint)flags, 0, name);
        Prop.ForAll(Gen.ListOf(entry).Select(l => l.ToList()).ToArbitrary(), (List<DevMemResource> list) =>
        {
            var parsed = ResourceTable.Parse(ResourceTable.FromDevMem(list).ToBytes()).DevMem.ToList();
            return parsed.Count == list.Count
                && parsed.Zip(list).All(p => p.First == p.Second with { Name = p.Second.Name.Length > 31 ? p.Second.Name[..31] : p.Second.Name });
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_bytes_either_parse_or_fail_with_a_typed_error()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = ResourceTable.FromDevMem([Lpass, Lpass with { Name = "x" }]).ToBytes();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var length = random.Next(2) == 0 ? bytes.Length : random.Next(bytes.Length + 1);
            try
            {
                ResourceTable.Parse(bytes.AsSpan(0, length));
            }
            catch (ResourceTableException)
            {
            }
        }
    }
}
