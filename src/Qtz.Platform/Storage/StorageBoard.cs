using Qtz.Platform.Boards;
using Qtz.Kernel;
using Qtz.Kernel.Mtd;
using Qtz.Secure;
using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.ScmStorage;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.HypAssign;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Platform.Storage;

/// <summary>
/// A board with only the storage path: clock, bus with DDR, the SPI-NOR behind TrustZone, TZ's SCM
/// dispatcher with the SHM bridge, hyp-assign and storage services, the kernel's SCM client with
/// tzmem, the MTD core, and the SCM storage MTD driver probed with the cmdline and DT partition
/// parsers (<see cref="TzStorage"/>, shared with the full board). The worlds meet only through the SMC
/// conduit and memory.
/// </summary>
public sealed class StorageBoard : IDisposable
{
    private readonly TzStorage _flash;

    public StorageBoard(StorageFlash flash, StorageBoardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flash);
        Options = options ?? new StorageBoardOptions();
        Clock = new VirtualClock(Options.Seed);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", SecureChannel.Ddr.Base, SecureChannel.Ddr.Size);
        Conduit = new SmcConduit(Bus);
        _flash = new TzStorage(flash, Options, Clock);
        World = new SecureWorld(Bus);
        var services = new ScmServiceTable.Builder()
            .Add(new ShmBridgeService(World))
            .Add(new HypAssignService(World));
        Dispatcher = new ScmDispatcher(World, _flash.AddTo(services).Build());
        Conduit.Attach(Dispatcher);
        Scm = new Scm(Conduit, Bus, BusMaster.NonSecureCpu(Options.KernelExceptionLevel), new DmaCoherentMemory(SecureChannel.KernelDma));
        var ret = Scm.Probe();
        if (ret != 0) throw new InvalidOperationException($"SCM probe failed: {ScmErrno.Name(ret)}");
        _flash.Probe(Scm);
    }

    public StorageBoardOptions Options { get; }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public SmcConduit Conduit { get; }

    public NorChip Chip => _flash.Chip;

    public SecureWorld World { get; }

    public ScmDispatcher Dispatcher { get; }

    public StorageService Storage => _flash.Service;

    public Scm Scm { get; }

    public MtdRegistry Mtd => _flash.Mtd;

    /// <summary>0 when the driver probed, else its −errno (the device is then absent, as in Linux).</summary>
    public int ProbeResult => _flash.ProbeResult;

    public ScmStorageMtd? Driver => _flash.Driver;

    /// <summary>A board over an in-memory all-0xFF flash (tests, benchmarks).</summary>
    public static StorageBoard InMemory(NorGeometry geometry, StorageBoardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new StorageBoard(new StorageFlash(geometry, new MemoryNorStorage(geometry.SizeInBytes)), options);
    }

    /// <summary>mtdN by index or by name; null when there is none.</summary>
    public MtdInfo? FindDevice(string device) => _flash.FindDevice(device);

    public void Dispose() => _flash.Dispose();
}
