using Qtz.Kernel;
using Qtz.Kernel.Mtd;
using Qtz.Secure;
using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;

namespace Qtz.Platform.Storage;

/// <summary>
/// A board with only the storage path: clock, bus with DDR, the SPI-NOR behind TrustZone, TZ's SCM
/// dispatcher with the SHM bridge, hyp-assign and storage services, the kernel's SCM client with
/// tzmem, the MTD core, and the SCM storage MTD driver probed with the cmdline and DT partition
/// parsers. The worlds meet only through the SMC conduit and memory.
/// </summary>
public sealed class StorageBoard : IDisposable
{
    public StorageBoard(StorageFlash flash, StorageBoardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flash);
        Options = options ?? new StorageBoardOptions();
        Clock = new VirtualClock(Options.Seed);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", SecureChannel.Ddr.Base, SecureChannel.Ddr.Size);
        Conduit = new SmcConduit(Bus);
        Chip = new NorChip(flash.Geometry, flash.Storage, Clock);
        Storage = new StorageService(Chip, new StorageServiceOptions
        {
            WriteSemantics = Options.WriteSemantics,
            AllowWrites = Options.AllowWrite,
            AllowEl2Callers = Options.TzAllowsEl2,
        });
        World = new SecureWorld(Bus);
        var services = new ScmServiceTable.Builder()
            .Add(new ShmBridgeService(World))
            .Add(new HypAssignService(World))
            .Add(Storage);
        Conduit.Attach(new ScmDispatcher(World, services.Build()));
        Scm = new Scm(Conduit, Bus, BusMaster.NonSecureCpu(Options.KernelExceptionLevel), new DmaCoherentMemory(SecureChannel.KernelDma));
        var ret = Scm.Probe();
        if (ret != 0) throw new InvalidOperationException($"SCM probe failed: {ScmErrno.Name(ret)}");

        Mtd = new MtdRegistry();
        var parsers = new List<IMtdPartitionParser>();
        if (Options.MtdParts is { } mtdparts) parsers.Add(new CmdlinePartParser(Mtd, mtdparts));
        parsers.Add(new FixedPartitionsParser(Mtd, Options.DtPartitions));
        ProbeResult = ScmStorageMtd.Probe(Scm, Mtd, new ScmStorageOptions
        {
            AllowWrite = Options.AllowWrite,
            WriteSemantics = Options.WriteSemantics == TzWriteSemantics.Program ? ScmStorageWriteSemantics.Program : ScmStorageWriteSemantics.EraseProgram,
            MaxBounceBytes = Options.MaxBounceBytes,
        }, parsers, out var driver);
        Driver = driver;
    }

    public StorageBoardOptions Options { get; }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public SmcConduit Conduit { get; }

    public NorChip Chip { get; }

    public SecureWorld World { get; }

    public StorageService Storage { get; }

    public Scm Scm { get; }

    public MtdRegistry Mtd { get; }

    /// <summary>0 when the driver probed, else its −errno (the device is then absent, as in Linux).</summary>
    public int ProbeResult { get; }

    public ScmStorageMtd? Driver { get; }

    /// <summary>A board over an in-memory all-0xFF flash (tests, benchmarks).</summary>
    public static StorageBoard InMemory(NorGeometry geometry, StorageBoardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new StorageBoard(new StorageFlash(geometry, new MemoryNorStorage(geometry.SizeInBytes)), options);
    }

    /// <summary>mtdN by index or by name; null when there is none.</summary>
    public MtdInfo? FindDevice(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.StartsWith("mtd", StringComparison.Ordinal) && int.TryParse(device.AsSpan(3), out var index)) return Mtd.Find(index);
        if (device.StartsWith("/dev/mtd", StringComparison.Ordinal) && int.TryParse(device.AsSpan(8), out index)) return Mtd.Find(index);
        return Mtd.Find(device.StartsWith("mtd:", StringComparison.Ordinal) ? device[4..] : device);
    }

    public void Dispose()
    {
        Driver?.Dispose();
        Chip.Dispose();
    }
}
