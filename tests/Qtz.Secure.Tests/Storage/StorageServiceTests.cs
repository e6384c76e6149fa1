using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Secure.Tests.Storage;

/// <summary>The TZ storage service through real SMC registers (svc 0x1A, cmd 0x01): result codes in x1.</summary>
public sealed class StorageServiceTests
{
    private static readonly PhysAddr Ram = new(0x8000_0000);
    private static readonly PhysAddr Cmd = Ram + 0x1000;
    private static readonly PhysAddr Data = Ram + 0x2000;

    private sealed class Harness
    {
        public Harness(StorageServiceOptions? options = null, bool withChip = true, ulong size = 1 << 20)
        {
            Clock = new VirtualClock();
            Bus = new SystemBus(Clock);
            Bus.AddRam("ddr", Ram, 0x10_0000);
            Storage = new MemoryNorStorage(size);
            Chip = new NorChip(NorPartTable.ForSize(size), Storage, Clock);
            World = new SecureWorld(Bus);
            Service = new StorageService(withChip ? Chip : null, options);
            Dispatcher = new ScmDispatcher(World, new ScmServiceTable.Builder().Add(Service).Build());
        }

        public VirtualClock Clock { get; }

        public SystemBus Bus { get; }

        public MemoryNorStorage Storage { get; }

        public NorChip Chip { get; }

        public SecureWorld World { get; }

        public StorageService Service { get; }

        public ScmDispatcher Dispatcher { get; }

        public SmcResult Call(StorageCommandId command, ulong lba, ulong length, ulong dataPtr = 0, int el = 1, StorageType type = StorageType.SpiNor, ulong cmdSize = 40)
        {
            var bytes = new byte[72];
            new StorageCommand(type, command).WriteTo(bytes);
            new StorageCommandDetails(lba, length, dataPtr == 0 ? Data.Value : dataPtr).WriteTo(bytes.AsSpan(40));
            Bus.Write(BusMaster.NonSecureCpu(el), Cmd, bytes);
            var fid = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, StorageCall.Service, StorageCall.Command);
            var argInfo = ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val, ScmArgType.Rw, ScmArgType.Val);
            return Dispatcher.Handle(new SmcCall(BusMaster.NonSecureCpu(el), fid.Value, argInfo.Value, Cmd.Value, cmdSize, Cmd.Value + 40, 32));
        }
    }

    private static readonly StorageServiceOptions Writable = new() { AllowWrites = true };

    private static void AssertResult(StorageResult expected, SmcResult result)
    {
        Assert.Equal(0UL, result.X0);
        Assert.Equal((ulong)expected, result.X1);
    }

    [Fact]
    public void Get_info_reports_the_W25Q256JW_geometry_as_the_Dragon_Q6A_did()
    {
        var h = new Harness(size: 32 << 20);
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.GetInfo, 0, StorageInfo.Size));
        var bytes = new byte[StorageInfo.Size];
        h.Bus.Read(BusMaster.LinuxEl1, Data, bytes);
        var info = StorageInfo.Parse(bytes);
        Assert.Equal((8192UL, 4096u, 256u, 0u, 0UL, 1663215UL, "", "NOR", "W25Q256JW"),
            (info.TotalBlocks, info.BlockSize, info.PageSize, info.NumPhysical, info.ManufacturerId, info.SerialNum, info.FwVersion, info.MemoryType, info.ProductName));
    }

    [Theory]
    [InlineData(StorageCommandId.Read, 0UL, 100UL)]
    [InlineData(StorageCommandId.Read, 0UL, 0UL)]
    [InlineData(StorageCommandId.Read, 256UL, 4096UL)]
    [InlineData(StorageCommandId.Read, 255UL, 8192UL)]
    [InlineData(StorageCommandId.Write, 1UL, 4095UL)]
    [InlineData(StorageCommandId.Erase, 255UL, 8192UL)]
    [InlineData(StorageCommandId.Erase, ulong.MaxValue, 4096UL)]
    public void Unaligned_or_out_of_range_requests_are_INVALID_PARAMETER(StorageCommandId command, ulong lba, ulong length) =>
        AssertResult(StorageResult.InvalidParameter, new Harness(Writable).Call(command, lba, length));

    [Fact]
    public void Writes_and_erases_are_READONLY_unless_allowed()
    {
        var h = new Harness();
        AssertResult(StorageResult.ReadOnly, h.Call(StorageCommandId.Write, 0, 4096));
        AssertResult(StorageResult.ReadOnly, h.Call(StorageCommandId.Erase, 0, 4096));
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Read, 0, 4096));
    }

    [Fact]
    public void Calls_from_EL2_are_refused_with_INVALID_PARAMETER_unless_configured()
    {
        AssertResult(StorageResult.InvalidParameter, new Harness().Call(StorageCommandId.GetInfo, 0, StorageInfo.Size, el: 2));
        AssertResult(StorageResult.Success, new Harness(new StorageServiceOptions { AllowEl2Callers = true }).Call(StorageCommandId.GetInfo, 0, StorageInfo.Size, el: 2));
    }

    [Fact]
    public void A_board_without_SPI_NOR_or_a_NULL_storage_type_is_INVALID_PARAMETER()
    {
        AssertResult(StorageResult.InvalidParameter, new Harness(withChip: false).Call(StorageCommandId.GetInfo, 0, StorageInfo.Size));
        AssertResult(StorageResult.InvalidParameter, new Harness().Call(StorageCommandId.GetInfo, 0, StorageInfo.Size, type: StorageType.Null));
    }

    [Fact]
    public void Unknown_commands_are_NOT_SUPPORTED_and_init_deinit_track_the_service_state()
    {
        var h = new Harness();
        AssertResult(StorageResult.NotSupported, h.Call((StorageCommandId)9, 0, 0));
        AssertResult(StorageResult.AlreadyRunning, h.Call(StorageCommandId.Init, 0, 0));
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Deinit, 0, 0));
        AssertResult(StorageResult.StorageError, h.Call(StorageCommandId.Read, 0, 4096));
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Init, 0, 0));
    }

    [Fact]
    public void Once_bridges_are_on_a_data_buffer_outside_them_is_refused_with_EINVAL_ADDR()
    {
        var h = new Harness();
        h.World.Bridges.Enable();
        h.World.Bridges.Create(new PhysRange(Cmd, 0x1000), AccessPermissions.ReadWrite, AccessPermissions.ReadWrite, 0, 3, out _);
        Assert.Equal(ScmStatus.InvalidAddress, h.Call(StorageCommandId.Read, 0, 4096).Status);
        h.World.Bridges.Create(new PhysRange(Data, 0x1000), AccessPermissions.ReadWrite, AccessPermissions.ReadWrite, 0, 3, out _);
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Read, 0, 4096));
    }

    [Fact]
    public void A_command_buffer_smaller_than_40_bytes_is_INVALID_PARAMETER() =>
        AssertResult(StorageResult.InvalidParameter, new Harness().Call(StorageCommandId.GetInfo, 0, StorageInfo.Size, cmdSize: 39));

    [Theory]
    [InlineData(TzWriteSemantics.Program, 0x00)]
    [InlineData(TzWriteSemantics.EraseProgram, 0x0F)]
    public void Write_programs_or_erases_then_programs_by_configuration(TzWriteSemantics semantics, byte expected)
    {
        var h = new Harness(Writable with { WriteSemantics = semantics });
        var block = new byte[4096];
        block.AsSpan().Fill(0xF0);
        h.Bus.Write(BusMaster.LinuxEl1, Data, block);
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Write, 1, 4096));
        block.AsSpan().Fill(0x0F);
        h.Bus.Write(BusMaster.LinuxEl1, Data, block);
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Write, 1, 4096));
        Assert.Equal(expected, h.Storage.Contents[4096]);
    }

    [Fact]
    public void Erase_of_an_aligned_64_KiB_run_uses_block_erase()
    {
        var h = new Harness(Writable);
        AssertResult(StorageResult.Success, h.Call(StorageCommandId.Erase, 15, 4096 * 18));
        // one sector (45 ms) + one 64 KiB block (150 ms) + one sector (45 ms)
        Assert.Equal(240, h.Clock.Now.Milliseconds, 3);
    }

    [Fact]
    public void A_power_cut_during_a_request_is_STORAGE_ERROR()
    {
        var h = new Harness(Writable);
        h.Chip.SchedulePowerCut(h.Clock.Now + TimeSpan.FromMilliseconds(10));
        AssertResult(StorageResult.StorageError, h.Call(StorageCommandId.Erase, 0, 4096));
    }
}
