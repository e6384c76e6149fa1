using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Storage;

/// <summary>
/// TrustZone's storage service (svc 0x1A, cmd 0x01; spec/mtd.md §5, spec/scm-pas.md §4): the command
/// and details structures arrive by pointer (RO and RW arguments), the data area by the nested
/// data_ptr, which must lie in SHM bridges once they are on. Only the SPI-NOR is served; lba and
/// length must be block-aligned and inside the device (INVALID_PARAMETER otherwise); results go back
/// as x0 = 0 with the storage result in x1. Never throws for guest input.
/// </summary>
[ScmService(StorageCall.Service)]
public sealed partial class StorageService
{
    private readonly NorFlashController? _flash;
    private bool _initialised = true;
    private long _callCount;

    /// <param name="chip">The SPI-NOR behind TZ, or null when the board has none (GET_INFO then fails).</param>
    public StorageService(NorChip? chip, StorageServiceOptions? options = null)
    {
        Options = options ?? new StorageServiceOptions();
        _flash = chip is null ? null : new NorFlashController(chip);
    }

    public StorageServiceOptions Options { get; }

    /// <summary>Calls served, by command (for traces and tests).</summary>
    public long CallCount => Interlocked.Read(ref _callCount);

    [ScmCommand(StorageCall.Command)]
    public ScmReply Handle(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _callCount);
        if (request.CallerEl == 2 && !Options.AllowEl2Callers) return Result(StorageResult.InvalidParameter);
        if (request.Arg(1) < StorageCommand.Size || request.Arg(3) < StorageCommandDetails.Size)
            return Result(StorageResult.InvalidParameter);
        Span<byte> raw = stackalloc byte[StorageCommand.Size];
        var status = request.ReadArgBuffer(0, raw);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        var command = StorageCommand.Parse(raw);
        Span<byte> rawDetails = stackalloc byte[StorageCommandDetails.Size];
        status = request.ReadArgBuffer(2, rawDetails);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        var details = StorageCommandDetails.Parse(rawDetails);

        if (command.StorageType != StorageType.SpiNor || _flash is null) return Result(StorageResult.InvalidParameter);
        return command.CommandId switch
        {
            StorageCommandId.Init => Init(),
            StorageCommandId.Deinit => Deinit(),
            _ when !_initialised => Result(StorageResult.StorageError),
            StorageCommandId.GetInfo => GetInfo(request, details),
            StorageCommandId.Read => Read(request, details),
            StorageCommandId.Write => Write(request, details),
            StorageCommandId.Erase => Erase(details),
            _ => Result(StorageResult.NotSupported),
        };
    }

    /// <summary>The info GET_INFO reports for this chip (what the Dragon Q6A's firmware reported, for its fields).</summary>
    public StorageInfo Info(NorGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new StorageInfo((ulong)geometry.SectorCount, (uint)geometry.SectorSize, (uint)geometry.PageSize, 0, 0,
            Options.SerialNumber, "", "NOR", geometry.PartName);
    }

    private ScmReply Init()
    {
        if (_initialised) return Result(StorageResult.AlreadyRunning);
        _initialised = true;
        return Result(StorageResult.Success);
    }

    private ScmReply Deinit()
    {
        _initialised = false;
        return Result(StorageResult.Success);
    }

    private ScmReply GetInfo(ScmRequest request, StorageCommandDetails details)
    {
        if (details.Length < StorageInfo.Size) return Result(StorageResult.InvalidParameter);
        Span<byte> bytes = stackalloc byte[StorageInfo.Size];
        Info(_flash!.Geometry).WriteTo(bytes);
        var status = request.WriteBuffer(new PhysAddr(details.DataPtr), bytes);
        return status == ScmStatus.Success ? Result(StorageResult.Success) : ScmReply.Fail(status);
    }

    private ScmReply Read(ScmRequest request, StorageCommandDetails details)
    {
        if (!TryRange(details, out var offset, out var length)) return Result(StorageResult.InvalidParameter);
        var status = request.CheckBuffer(new PhysAddr(details.DataPtr), length, ScmBufferAccess.ReadWrite);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        var ok = _flash!.Read(offset, length, (at, n, segments) =>
            request.GatherBuffer(new PhysAddr(details.DataPtr + at), (ulong)n, ScmBufferAccess.ReadWrite, segments) == ScmStatus.Success);
        return Result(ok ? StorageResult.Success : StorageResult.StorageError);
    }

    private ScmReply Write(ScmRequest request, StorageCommandDetails details)
    {
        if (!Options.AllowWrites) return Result(StorageResult.ReadOnly);
        if (!TryRange(details, out var offset, out var length)) return Result(StorageResult.InvalidParameter);
        var status = request.CheckBuffer(new PhysAddr(details.DataPtr), length, ScmBufferAccess.ReadOnly);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        var ok = _flash!.Write(offset, length, Options.WriteSemantics, (at, n, segments) =>
            request.GatherBuffer(new PhysAddr(details.DataPtr + at), (ulong)n, ScmBufferAccess.ReadOnly, segments) == ScmStatus.Success);
        return Result(ok ? StorageResult.Success : StorageResult.StorageError);
    }

    private ScmReply Erase(StorageCommandDetails details)
    {
        if (!Options.AllowWrites) return Result(StorageResult.ReadOnly);
        if (!TryRange(details, out var offset, out var length)) return Result(StorageResult.InvalidParameter);
        return Result(_flash!.Erase(offset, length) ? StorageResult.Success : StorageResult.StorageError);
    }

    // lba and length (bytes) must describe whole blocks inside the device; the driver never sends
    // anything else, so the firmware's real answer is UNCONFIRMED and INVALID_PARAMETER is our choice.
    private bool TryRange(StorageCommandDetails details, out ulong offset, out ulong length)
    {
        var geometry = _flash!.Geometry;
        var block = (ulong)geometry.SectorSize;
        var blocks = (ulong)geometry.SectorCount;
        offset = 0;
        length = details.Length;
        if (length == 0 || length % block != 0 || details.Lba >= blocks || length / block > blocks - details.Lba) return false;
        offset = details.Lba * block;
        return true;
    }

    private static ScmReply Result(StorageResult result) => ScmReply.ServiceError((ulong)result);
}
