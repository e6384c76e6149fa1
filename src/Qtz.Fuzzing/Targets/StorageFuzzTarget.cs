using Qtz.Platform.Boards;
using System.Buffers.Binary;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// SCM storage calls from the non-secure world into TrustZone's storage service, on a storage board
/// (SHM bridges on, writes allowed) with a 256 KiB in-memory NOR. Input layout (little-endian):
/// [0, 40) qcom_scm_storage_cmd, [40, 72) qcom_scm_storage_cmd_details, [72] control byte (how the
/// command and details pointers, their sizes, the arginfo and the caller's EL are chosen), [73, 81) a
/// raw 64-bit value the control byte may use, then the data area's bytes. Everything is copied into
/// a tzmem (bridged) buffer and passed by a raw SMC, exactly as the driver would, or wrongly.
/// Invariants: nothing escapes the dispatcher (any exception is a failure, typed or not), and flash
/// bytes outside the range the command that TZ could actually read addresses stay unchanged.
/// </summary>
internal sealed class StorageFuzzTarget : FuzzTarget, IDisposable
{
    private const int HeaderSize = StorageCall.PayloadHeaderSize;
    private const int ControlSize = 1 + 8;
    private const int DataCapacity = 64 << 10;
    private static readonly NorGeometry Geometry = new("FUZZ256K", 0xEF, 0x4012, 256 << 10);
    private static readonly StorageCommandId[] Commands =
        [StorageCommandId.Read, StorageCommandId.Write, StorageCommandId.Erase, StorageCommandId.GetInfo, StorageCommandId.Init, StorageCommandId.Deinit];

    private readonly StorageBoard _board;
    private readonly MemoryNorStorage _flash;
    private readonly Qtz.Kernel.ScmClient.TzMemBuffer _payload;
    private readonly byte[] _erased = Enumerable.Repeat((byte)0xFF, (int)Geometry.SizeInBytes).ToArray();
    private readonly FunctionId _function = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, StorageCall.Service, StorageCall.Command);
    private readonly ArgInfo _args = ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val, ScmArgType.Rw, ScmArgType.Val);

    public StorageFuzzTarget()
    {
        _flash = new MemoryNorStorage(Geometry.SizeInBytes);
        _board = new StorageBoard(new StorageFlash(Geometry, _flash), new StorageBoardOptions { AllowWrite = true, WriteSemantics = TzWriteSemantics.EraseProgram });
        _payload = _board.Scm.Pool?.Allocate(HeaderSize + DataCapacity)
            ?? throw new InvalidOperationException("the storage board has no tzmem pool for the payload");
    }

    public override string Name => "storage";

    public override string Description => "SCM storage calls into TrustZone";

    public override int MaxInputLength => HeaderSize + ControlSize + DataCapacity;

    public override IReadOnlyList<byte[]> Seeds(Random random) => Commands.Select(c => Build(random, c)).ToArray();

    public override byte[] Generate(Random random) => Build(random, Commands[random.Next(Commands.Length)]);

    // Nothing may come out of the secure world for guest input: no rejection is "expected".
    public override bool IsExpectedRejection(Exception error) => false;

    public override void Execute(byte[] input)
    {
        Span<byte> padded = stackalloc byte[HeaderSize + ControlSize];
        input.AsSpan(0, Math.Min(input.Length, padded.Length)).CopyTo(padded);
        var data = input.Length > padded.Length ? input.AsSpan(padded.Length) : [];
        var control = padded[HeaderSize];
        var raw = BinaryPrimitives.ReadUInt64LittleEndian(padded[(HeaderSize + 1)..]);

        _flash.Write(0, _erased);
        Reinitialise();
        Check(_payload.Clear() == BusStatus.Ok && _payload.Write(0, padded[..HeaderSize]) == BusStatus.Ok && _payload.Write(HeaderSize, data) == BusStatus.Ok,
            "payload-setup", "the tzmem payload could not be written");
        var caller = (control & 0x08) != 0 ? BusMaster.LinuxEl2 : BusMaster.LinuxEl1;

        var cmdPtr = Pointer(control & 3, 0, raw);
        var detailsPtr = Pointer((control >> 4) & 3, StorageCommand.Size, raw);
        var cmdSize = (control & 0x40) != 0 ? raw & 0xFFFF : StorageCommand.Size;
        var detailsSize = (control & 0x80) != 0 ? raw >> 48 : StorageCommandDetails.Size;
        var argInfo = (control & 0x04) != 0 ? (ulong)(uint)raw : _args.Value;
        var allowed = WritableRange(cmdPtr, detailsPtr);
        _ = _board.Conduit.Smc(new SmcCall(caller, _function.Value, argInfo, cmdPtr, cmdSize, detailsPtr, detailsSize));

        var after = _flash.Contents;
        var first = after.IndexOfAnyExcept((byte)0xFF);
        if (first < 0) return;
        var last = after.LastIndexOfAnyExcept((byte)0xFF);
        Check((ulong)first >= allowed.Start && (ulong)last < allowed.End, "flash-outside-range-unchanged",
            $"flash changed in [0x{first:x}, 0x{last:x}] but the command allows only [0x{allowed.Start:x}, 0x{allowed.End:x})");
    }

    public void Dispose()
    {
        _payload.Dispose();
        _board.Dispose();
    }

    // A fresh INIT puts the service in its initialised state whatever the previous input left.
    private void Reinitialise()
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        new StorageCommand(StorageType.SpiNor, StorageCommandId.Init).WriteTo(header);
        new StorageCommandDetails(0, 0, 0).WriteTo(header[StorageCommand.Size..]);
        _ = _payload.Write(0, header);
        var cmd = _payload.Address.Value;
        _ = _board.Conduit.Smc(new SmcCall(BusMaster.LinuxEl1, _function.Value, _args.Value, cmd, StorageCommand.Size, cmd + StorageCommand.Size, StorageCommandDetails.Size));
    }

    private ulong Pointer(int mode, int offset, ulong raw) => mode switch
    {
        0 => _payload.Address.Value + (ulong)offset,
        1 => _payload.Address.Value + (raw & 0xFFFF),
        2 => raw,
        _ => SecureChannel.Ddr.Base.Value - 0x1000 + (raw & 0xFFF),
    };

    /// <summary>What the service could modify: the block range of a WRITE or ERASE it can read from those pointers.</summary>
    private (ulong Start, ulong End) WritableRange(ulong cmdPtr, ulong detailsPtr)
    {
        Span<byte> cmd = stackalloc byte[StorageCommand.Size];
        Span<byte> details = stackalloc byte[StorageCommandDetails.Size];
        if (_board.Bus.Read(BusMaster.SecureWorld, new PhysAddr(cmdPtr), cmd) != BusStatus.Ok) return (0, 0);
        if (_board.Bus.Read(BusMaster.SecureWorld, new PhysAddr(detailsPtr), details) != BusStatus.Ok) return (0, 0);
        var command = StorageCommand.Parse(cmd);
        if (command.CommandId is not (StorageCommandId.Write or StorageCommandId.Erase)) return (0, 0);
        var d = StorageCommandDetails.Parse(details);
        var start = d.Lba >= ulong.MaxValue / (ulong)Geometry.SectorSize ? ulong.MaxValue : d.Lba * (ulong)Geometry.SectorSize;
        return (start, start > ulong.MaxValue - d.Length ? ulong.MaxValue : start + d.Length);
    }

    private byte[] Build(Random random, StorageCommandId command)
    {
        var blocks = (ulong)Geometry.SectorCount;
        var lba = (ulong)random.NextInt64((long)blocks);
        var length = (ulong)Geometry.SectorSize * (ulong)random.Next(1, 5);
        var dataLength = command == StorageCommandId.Write ? (int)length : command == StorageCommandId.GetInfo ? 256 : 0;
        var bytes = new byte[HeaderSize + ControlSize + dataLength];
        new StorageCommand(StorageType.SpiNor, command).WriteTo(bytes);
        new StorageCommandDetails(lba, length, _payload.Address.Value + HeaderSize).WriteTo(bytes.AsSpan(StorageCommand.Size));
        random.NextBytes(bytes.AsSpan(HeaderSize + ControlSize));
        return bytes;
    }

    private static void Check(bool holds, string invariant, string message)
    {
        if (!holds) throw new FuzzInvariantException(invariant, message);
    }
}
