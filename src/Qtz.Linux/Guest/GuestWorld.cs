using Qtz.Platform.Boards;
using Qtz.Platform.Storage;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Secure.HypAssign;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Linux.Guest;

/// <summary>How to build a <see cref="GuestWorld"/>.</summary>
public sealed record GuestWorldOptions
{
    public int Seed { get; init; }

    /// <summary>The SPI-NOR behind TrustZone's storage service (svc 0x1A), or null for none.</summary>
    public StorageFlash? Flash { get; init; }

    /// <summary>How TZ treats the flash (write semantics, whether it allows writes).</summary>
    public TzStorageOptions FlashOptions { get; init; } = new();

    public IReadOnlyList<ILinuxGuestExtension> Extensions { get; init; } = [];
}

/// <summary>
/// The secure world a real Linux guest talks to: the guest's RAM (the file QEMU shares) as the bus's
/// DDR at QEMU virt's address, the SMC conduit, TrustZone's SCM dispatcher with the SHM bridge and
/// hyp-assign services, the storage service over the flash when there is one, and whatever the
/// extensions add. It is <see cref="Qtz.Platform.SecureChannel"/> without a C# kernel: the kernel is
/// the guest, and its SMCs arrive through the bridge.
/// </summary>
public sealed class GuestWorld : IDisposable
{
    private readonly TzStorage? _storage;

    public GuestWorld(MappedFileRam ram, GuestWorldOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ram);
        Options = options ?? new GuestWorldOptions();
        if (ram.SizeInBytes != GuestMemoryMap.Ram.Size)
            throw new ArgumentException($"the guest RAM file is 0x{ram.SizeInBytes:x} bytes; QEMU virt's RAM here is 0x{GuestMemoryMap.Ram.Size:x}", nameof(ram));
        Ram = ram;
        Clock = new VirtualClock(Options.Seed);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", GuestMemoryMap.Ram.Base, ram);
        Conduit = new SmcConduit(Bus);
        World = new SecureWorld(Bus);
        ShmBridges = new ShmBridgeService(World, ShmBridgeSupport.Supported);
        HypAssign = new HypAssignService(World);
        var services = new ScmServiceTable.Builder().Add(ShmBridges).Add(HypAssign);
        if (Options.Flash is { } flash)
        {
            _storage = new TzStorage(flash, Options.FlashOptions, Clock);
            _storage.AddTo(services);
        }

        foreach (var extension in Options.Extensions) extension.AddSecureServices(this, services);
        Dispatcher = new ScmDispatcher(World, services.Build());
        Conduit.Attach(Dispatcher);
    }

    public GuestWorldOptions Options { get; }

    public MappedFileRam Ram { get; }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public SmcConduit Conduit { get; }

    public SecureWorld World { get; }

    public ShmBridgeService ShmBridges { get; }

    public HypAssignService HypAssign { get; }

    public ScmDispatcher Dispatcher { get; }

    /// <summary>The NOR chip behind TZ's storage service, when the world has a flash.</summary>
    public Qtz.Soc.Nor.NorChip? FlashChip => _storage?.Chip;

    public Qtz.Secure.Storage.StorageService? Storage => _storage?.Service;

    /// <summary>Closes the flash (its image file then holds what the guest wrote).</summary>
    public void Dispose() => _storage?.Dispose();
}
