using Qtz.Kernel.Mtd;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.Platform.Storage;
using Qtz.Soc.Nor;
using Qtz.TestSupport;
using Xunit;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Nor.StorageWire;

namespace Qtz.Platform.Tests.Boards;

/// <summary>The main board with an SPI-NOR behind TrustZone as well as its DSPs (issue 9 item 4).</summary>
public sealed class BoardFlashTests
{
    private const int Size = 1 << 20;

    [Fact]
    public void A_board_with_a_flash_probes_the_storage_driver_on_its_own_scm_client_next_to_the_dsps()
    {
        using var board = WithFlash(KernelMode.Qhee, new TzStorageOptions { AllowWrite = true });
        Assert.True(board.Boot().AllRunning);
        var flash = board.Flash!;
        Assert.Equal(0, flash.ProbeResult);
        Assert.Equal((ulong)Size, flash.Driver!.Mtd.Size);
        Assert.True(board.Dispatcher.IsAvailable(StorageCall.Service, StorageCall.Command));
        Assert.Contains(board.Trace.Events, e => e.Source == "qcom_scm_storage" && e.Text.Contains("probed", StringComparison.Ordinal));
        var data = new byte[4096];
        new Random(3).NextBytes(data);
        Assert.Equal(0, MtdCore.Write(flash.Driver.Mtd, 0x10000, data, out _));
        var back = new byte[data.Length];
        Assert.Equal(0, MtdCore.Read(flash.Driver.Mtd, 0x10000, back, out _));
        Assert.Equal(data, back);
        BoardInvariants.Assert(board);
    }

    [Fact]
    public void As_kvm_host_the_storage_probe_fails_as_on_the_real_board_unless_trustzone_serves_el2()
    {
        using var refused = WithFlash(KernelMode.Kvm, new TzStorageOptions());
        Assert.Equal(-MtdErrno.EINVAL, refused.Flash!.ProbeResult);
        Assert.Empty(refused.Flash.Mtd.Devices);
        using var served = WithFlash(KernelMode.Kvm, new TzStorageOptions { TzAllowsEl2 = true });
        Assert.Equal(0, served.Flash!.ProbeResult);
    }

    [Fact]
    public void A_crash_reported_while_trustzone_writes_the_flash_is_handled_after_the_call_returns_not_inside_it()
    {
        using var board = WithFlash(KernelMode.Qhee, new TzStorageOptions { AllowWrite = true });
        Assert.True(board.Boot().AllRunning);
        var adsp = board.Driver("adsp")!.Rproc;
        adsp.RecoveryEnabled = true;
        board.Remoteproc("adsp").Core.InjectWatchdog();
        var data = new byte[64 << 10];
        Assert.Equal(0, MtdCore.Write(board.Flash!.Driver!.Mtd, 0, data, out _));
        Assert.Equal(0, adsp.CrashCount); // the crash work was due during the write, but did not run inside TrustZone
        board.Clock.RunPending();
        board.Clock.Advance(Board.SettleTime);
        Assert.Equal(RprocState.Running, adsp.State);
        Assert.Equal(1, adsp.CrashCount);
    }

    [Fact]
    public void The_board_owns_its_flash_image_and_dispose_leaves_the_written_bytes_in_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("nor.img");
        var data = new byte[4096];
        new Random(5).NextBytes(data);
        using (var board = Board.Build(new BoardOptions { Flash = FlashImage.Create(path, Size), FlashOptions = new TzStorageOptions { AllowWrite = true } }))
            Assert.Equal(0, MtdCore.Write(board.Flash!.Driver!.Mtd, 0x2000, data, out _));
        Assert.Equal(data, File.ReadAllBytes(path).AsSpan(0x2000, data.Length).ToArray());
    }

    private static Board WithFlash(KernelMode mode, TzStorageOptions options) => Board.Build(new BoardOptions
    {
        Mode = mode,
        Flash = new StorageFlash(NorPartTable.ForSize(Size), new MemoryNorStorage(Size)),
        FlashOptions = options,
    });
}
