using Qtz.Kernel;
using Qtz.Kernel.Mtd;
using Qtz.Secure;
using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.Partitions;
using Qtz.Kernel.Mtd.ScmStorage;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Time;

namespace Qtz.Platform.Storage;

/// <summary>
/// An SPI-NOR behind TrustZone, wired the one way every board wires it: the chip on the board's clock,
/// TZ's storage service (svc 0x1A) for the board's SCM dispatcher, and — once the board's SCM client
/// has probed — the MTD core with the SCM storage driver probed on that same client, through the
/// cmdline and DT partition parsers. Owns the flash's storage (Dispose closes it).
/// </summary>
public sealed class TzStorage : IDisposable
{
    public TzStorage(StorageFlash flash, TzStorageOptions options, VirtualClock clock)
    {
        ArgumentNullException.ThrowIfNull(flash);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Chip = new NorChip(flash.Geometry, flash.Storage, clock);
        Service = new StorageService(Chip, new StorageServiceOptions
        {
            WriteSemantics = options.WriteSemantics,
            AllowWrites = options.AllowWrite,
            AllowEl2Callers = options.TzAllowsEl2,
        });
    }

    public TzStorageOptions Options { get; }

    public NorChip Chip { get; }

    /// <summary>TZ's side: register it with <see cref="AddTo"/>.</summary>
    public StorageService Service { get; }

    public MtdRegistry Mtd { get; } = new();

    /// <summary>0 when the driver probed, else its −errno (the device is then absent, as in Linux); 1 before <see cref="Probe"/>.</summary>
    public int ProbeResult { get; private set; } = 1;

    public ScmStorageMtd? Driver { get; private set; }

    public ScmServiceTable.Builder AddTo(ScmServiceTable.Builder services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Add(Service);
    }

    /// <summary>The kernel's side: probes qcom_scm_storage on the board's (probed) SCM client; 0 or −errno.</summary>
    public int Probe(Scm scm)
    {
        ArgumentNullException.ThrowIfNull(scm);
        var parsers = new List<IMtdPartitionParser>();
        if (Options.MtdParts is { } mtdparts) parsers.Add(new CmdlinePartParser(Mtd, mtdparts));
        parsers.Add(new FixedPartitionsParser(Mtd, Options.DtPartitions));
        ProbeResult = ScmStorageMtd.Probe(scm, Mtd, new ScmStorageOptions
        {
            AllowWrite = Options.AllowWrite,
            WriteSemantics = Options.WriteSemantics == TzWriteSemantics.Program ? ScmStorageWriteSemantics.Program : ScmStorageWriteSemantics.EraseProgram,
            MaxBounceBytes = Options.MaxBounceBytes,
            Variant = Options.DriverVariant,
        }, parsers, out var driver);
        Driver = driver;
        return ProbeResult;
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
