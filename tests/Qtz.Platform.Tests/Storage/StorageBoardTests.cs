using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Xunit;

namespace Qtz.Platform.Tests.Storage;

public sealed class StorageBoardTests
{
    private static StorageBoard Board(bool allowWrite = true, TzWriteSemantics semantics = TzWriteSemantics.Program, int el = 1, string? parts = null) =>
        StorageBoard.InMemory(NorPartTable.Default, new StorageBoardOptions { AllowWrite = allowWrite, WriteSemantics = semantics, KernelExceptionLevel = el, MtdParts = parts });

    [Fact]
    public void The_driver_probes_silently_and_exposes_the_W25Q256JW_as_a_32_MiB_nor_mtd()
    {
        using var board = Board();
        Assert.Equal(0, board.ProbeResult);
        var mtd = Assert.Single(board.Mtd.Devices);
        Assert.Equal("qcom_scm_storage", mtd.Name);
        Assert.Equal((MtdType.NorFlash, MtdFlags.Writeable, 32UL << 20, 4096u, 4096u, 4096u), (mtd.Type, mtd.Flags, mtd.Size, mtd.EraseSize, mtd.WriteSize, mtd.WriteBufSize));
        Assert.Empty(board.Mtd.Log);
        Assert.Equal(256UL << 10, board.Driver!.BounceBytes);
        Assert.Equal(1_663_215UL, board.Driver.Info.SerialNum);
        Assert.Equal("NOR", board.Driver.Info.MemoryType);
    }

    [Theory]
    [InlineData(TzWriteSemantics.Program)]
    [InlineData(TzWriteSemantics.EraseProgram)]
    public void Erase_write_read_round_trips_through_the_whole_stack(TzWriteSemantics semantics)
    {
        using var board = Board(semantics: semantics);
        var mtd = board.Mtd.Devices[0];
        Assert.Equal(0, MtdCore.Erase(mtd, new EraseInfo(0, 3 * 4096)));
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(0, MtdCore.Write(mtd, 100, data, out var written));
        Assert.Equal(5000UL, written);
        var back = new byte[5200];
        Assert.Equal(0, MtdCore.Read(mtd, 0, back, out var read));
        Assert.Equal(5200UL, read);
        Assert.All(back[..100], b => Assert.Equal(0xFF, b));
        Assert.Equal(data, back[100..5100]);
        Assert.All(back[5100..], b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void At_EL2_TZ_denies_GET_INFO_and_no_device_appears()
    {
        using var board = Board(el: 2);
        Assert.Equal(-MtdErrno.EINVAL, board.ProbeResult);
        Assert.Empty(board.Mtd.Devices);
        Assert.Contains("qcom_scm_storage: get info failed: -22", board.Mtd.Log);
    }

    [Fact]
    public void Without_allow_write_the_mtd_is_read_only()
    {
        using var board = Board(allowWrite: false);
        var mtd = board.Mtd.Devices[0];
        Assert.Equal(-MtdErrno.EROFS, MtdCore.Write(mtd, 0, new byte[1], out _));
        Assert.Equal(-MtdErrno.EROFS, MtdCore.Erase(mtd, new EraseInfo(0, 4096)));
    }

    [Fact]
    public void Mtdparts_partitions_replace_the_master()
    {
        using var board = Board(parts: "mtdparts=qcom_scm_storage:1M(boot),64k@0x200000(cfg)ro,-(rest)");
        Assert.Equal(["boot", "cfg", "rest"], board.Mtd.Devices.Select(d => d.Name));
        Assert.False(board.Mtd.Devices[1].IsWriteable);
        Assert.Equal((0x210000UL, (32UL << 20) - 0x210000), (board.Mtd.Devices[2].PartitionOffset, board.Mtd.Devices[2].Size));
    }
}
