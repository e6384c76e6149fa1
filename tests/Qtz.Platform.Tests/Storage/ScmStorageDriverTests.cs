using Qtz.Platform.Boards;
using Qtz.Kernel;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Kernel.Mtd.ScmStorage;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Tests.Storage;

/// <summary>The review points of the SCM storage MTD driver, one test each.</summary>
public sealed partial class ScmStorageDriverTests
{
    [ScmService(StorageCall.Service)]
    private sealed partial class CannedInfoService(StorageInfo info)
    {
        [ScmCommand(StorageCall.Command)]
        public ScmReply Handle(ScmRequest request)
        {
            var raw = new byte[StorageCommandDetails.Size];
            request.ReadArgBuffer(2, raw);
            var bytes = new byte[StorageInfo.Size];
            info.WriteTo(bytes);
            request.WriteBuffer(new PhysAddr(StorageCommandDetails.Parse(raw).DataPtr), bytes);
            return ScmReply.ServiceError(0);
        }
    }

    private static (int Ret, SecureChannel Channel, MtdRegistry Registry, ScmStorageMtd? Driver, ulong DmaUsed) Probe(StorageInfo info)
    {
        var channel = new SecureChannel(new SecureChannelOptions { KernelExceptionLevel = 1 }, b => b.Add(new CannedInfoService(info)));
        var registry = new MtdRegistry();
        var before = channel.Dma.FreeBytes;
        var ret = ScmStorageMtd.Probe(channel.Scm, registry, null, [], out var driver);
        return (ret, channel, registry, driver, before - channel.Dma.FreeBytes);
    }

    private static StorageInfo Info(ulong blocks, uint blockSize, uint page = 256) => new(blocks, blockSize, page, 0, 0, 1, "", "NOR", "x");

    [Theory]
    [InlineData(0UL, 4096u)]
    [InlineData(8192UL, 0u)]
    [InlineData(8192UL, 3000u)]
    [InlineData(ulong.MaxValue, 4096u)]
    public void A_bad_geometry_is_refused_before_the_bounce_buffer_is_allocated(ulong blocks, uint blockSize)
    {
        var (ret, _, registry, driver, dmaUsed) = Probe(Info(blocks, blockSize));
        Assert.Equal(-MtdErrno.EINVAL, ret);
        Assert.Null(driver);
        Assert.Empty(registry.Devices);
        Assert.True(dmaUsed <= 4096, $"{dmaUsed} bytes of DMA memory were allocated for a device that does not exist");
        Assert.Single(registry.Log, l => l.StartsWith("qcom_scm_storage: invalid storage geometry", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(8192UL, 4096u, 256UL << 10)]
    [InlineData(16UL, 4096u, 64UL << 10)]
    [InlineData(64UL, 512u << 10, 512UL << 10)]
    [InlineData(4096UL, 65536u, 256UL << 10)]
    public void The_bounce_buffer_is_sized_from_the_geometry(ulong blocks, uint blockSize, ulong expected)
    {
        var (ret, _, registry, driver, _) = Probe(Info(blocks, blockSize));
        Assert.Equal(0, ret);
        Assert.Equal(expected, driver!.BounceBytes);
        Assert.Empty(registry.Log); // no probe chatter
        var mtd = Assert.Single(registry.Devices);
        Assert.Equal((blockSize, blockSize, blocks * blockSize), (mtd.EraseSize, mtd.WriteSize, mtd.Size));
    }

    [Fact]
    public void Without_the_storage_call_no_device_appears_and_nothing_is_logged()
    {
        var channel = new SecureChannel(new SecureChannelOptions { KernelExceptionLevel = 1 });
        var registry = new MtdRegistry();
        Assert.Equal(-MtdErrno.ENODEV, ScmStorageMtd.Probe(channel.Scm, registry, null, [], out _));
        Assert.Empty(registry.Log);
    }

    [Theory]
    [InlineData(Secure.Storage.TzWriteSemantics.Program)]
    [InlineData(Secure.Storage.TzWriteSemantics.EraseProgram)]
    public void Every_storage_call_is_block_aligned_even_for_unaligned_requests(Secure.Storage.TzWriteSemantics semantics)
    {
        using var board = StorageBoard.InMemory(NorPartTable.ForSize(1 << 20), new StorageBoardOptions { AllowWrite = true, WriteSemantics = semantics });
        var calls = new List<(StorageCommandId Command, ulong Lba, ulong Length)>();
        board.Conduit.Traced += e =>
        {
            if (e.Call.FunctionId.Service != StorageCall.Service) return;
            var raw = new byte[72];
            board.Bus.Read(BusMaster.SecureWorld, new PhysAddr(e.Call.X2), raw);
            var command = StorageCommand.Parse(raw).CommandId;
            var details = StorageCommandDetails.Parse(raw.AsSpan(40));
            calls.Add((command, details.Lba, details.Length));
        };
        var mtd = board.Mtd.Devices[0];
        Assert.Equal(0, MtdCore.Write(mtd, 4000, new byte[10_000], out _));
        var writeCalls = calls.ToList();
        Assert.Equal(0, MtdCore.Read(mtd, 123, new byte[300_000], out _));
        Assert.Equal(0, MtdCore.Erase(mtd, new EraseInfo(8192, 8192)));
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.True(c.Length % 4096 == 0 && c.Length > 0, $"{c.Command} lba {c.Lba} length {c.Length}"));
        Assert.All(calls, c => Assert.True(c.Length <= 256 << 10));
        // under program semantics an unaligned write needs no read-back: 0xFF programs nothing
        Assert.Equal(semantics == Secure.Storage.TzWriteSemantics.EraseProgram, writeCalls.Exists(c => c.Command == StorageCommandId.Read));
    }

    [Fact]
    public void The_driver_leaves_bounds_and_zero_length_to_the_core()
    {
        using var board = StorageBoard.InMemory(NorPartTable.ForSize(1 << 20), new StorageBoardOptions { AllowWrite = true });
        var mtd = board.Mtd.Devices[0];
        var before = board.Storage.CallCount;
        ulong retlen = 0;
        Assert.Equal(0, mtd.Operations.Read!(0, [], ref retlen));
        Assert.Equal(before, board.Storage.CallCount); // zero length: no SCM call, no special case needed
        Assert.Equal(-MtdErrno.EINVAL, mtd.Operations.Read!(mtd.Size, new byte[4096], ref retlen));
        Assert.Equal(before + 1, board.Storage.CallCount); // past the end: the driver did not check, TZ refused
        Assert.Equal(-MtdErrno.EINVAL, mtd.Operations.Erase!(new EraseInfo(100, 4096))); // alignment is the driver's job
    }

    [Fact]
    public void A_read_only_partition_and_allow_write_are_enforced_by_the_core()
    {
        using var board = StorageBoard.InMemory(NorPartTable.ForSize(1 << 20), new StorageBoardOptions { AllowWrite = true, MtdParts = "qcom_scm_storage:64k(ro)ro,-(rw)" });
        Assert.Equal(-MtdErrno.EROFS, MtdCore.Write(board.Mtd.Devices[0], 0, new byte[1], out _));
        Assert.Equal(0, MtdCore.Write(board.Mtd.Devices[1], 0, new byte[1], out _));
    }
}
