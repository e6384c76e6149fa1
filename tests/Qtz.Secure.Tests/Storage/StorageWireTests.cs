using Qtz.Soc.Nor;
using Xunit;
using Qtz.Soc.Nor.StorageWire;

namespace Qtz.Secure.Tests.Storage;

public sealed class StorageWireTests
{
    [Fact]
    public void The_records_have_the_packed_sizes_and_round_trip()
    {
        var cmd = new StorageCommand(StorageType.SpiNor, StorageCommandId.GetInfo, 1, 2, 3);
        var bytes = new byte[40];
        cmd.WriteTo(bytes);
        Assert.Equal(1, bytes[0]);
        Assert.Equal(4, bytes[32]);
        Assert.Equal(cmd, StorageCommand.Parse(bytes));
        var details = new StorageCommandDetails(5, 4096, 0x8000_1048);
        var d = new byte[32];
        details.WriteTo(d);
        Assert.Equal(details, StorageCommandDetails.Parse(d));
        var info = new StorageInfo(8192, 4096, 256, 0, 0, 1663215, "", "NOR", "W25Q256JW");
        var i = new byte[105];
        info.WriteTo(i);
        Assert.Equal((byte)'N', i[68]);
        Assert.Equal((byte)'W', i[73]);
        Assert.Equal(info, StorageInfo.Parse(i));
    }

    [Fact]
    public void Truncated_records_are_rejected_with_the_sizes()
    {
        var error = Assert.Throws<InvalidDataException>(() => StorageInfo.Parse(new byte[104]));
        Assert.Equal("qcom_scm_storage_info needs 105 bytes, got 104", error.Message);
        Assert.Throws<InvalidDataException>(() => StorageCommand.Parse(new byte[39]));
        Assert.Throws<InvalidDataException>(() => StorageCommandDetails.Parse(new byte[31]));
    }

    [Fact]
    public void A_full_string_field_has_no_terminator()
    {
        var info = new StorageInfo(1, 4096, 256, 0, 0, 0, new string('v', 40), "NORXX", "p");
        var bytes = new byte[105];
        info.WriteTo(bytes);
        var parsed = StorageInfo.Parse(bytes);
        Assert.Equal((new string('v', 32), "NORXX"), (parsed.FwVersion, parsed.MemoryType));
    }
}
