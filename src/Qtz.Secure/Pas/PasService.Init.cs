using Qtz.Firmware.Verification;
using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Pas;

public sealed partial class PasService
{
    /// <summary>Largest metadata blob TZ copies (ELF header + phdrs + hash segment).</summary>
    public const ulong MaxMetadataBytes = 1 << 20;

    private const int ElfHeaderProbe = 64;

    /// <summary>
    /// INIT_IMAGE (a0 = pas_id, a1 = metadata phys, RW). The buffer rules of spec §2.2/§10.4: from EL1 (Linux
    /// under a hypervisor) or the hypervisor itself it must be plain DMA memory that no SHM bridge touches;
    /// from EL2 (KVM host) it must lie inside a live bridge once bridges are enabled. Either violation, or
    /// memory the caller may not use, answers x0 = EINVAL_ADDR. The blob is copied into secure memory
    /// before it is parsed, so Linux cannot change it afterwards. Allowed in Idle, and again before
    /// AUTH_AND_RESET (the new metadata replaces the old); refused with WRONG_STATE while running.
    /// </summary>
    [ScmCommand(InitImageCommand)]
    public ScmReply InitImage(ScmRequest request) => WithSession(request, "INIT_IMAGE", session =>
    {
        const string call = "INIT_IMAGE";
        if (session.State == PasState.Running)
            return Refuse(session, 0, call, ScmStatus.Success, PasErrors.WrongState, "the peripheral is running; SHUTDOWN it first");
        var status = CopyMetadata(request, out var blob, out var why);
        if (status != ScmStatus.Success) return Refuse(session, 0, call, status, 0, why);
        if (blob is null) return Refuse(session, 0, call, ScmStatus.Success, PasErrors.MalformedMetadata, why);

        session.Image = null;
        session.MemSetup = null;
        session.State = PasState.Idle;
        var parsed = MetadataAuthenticator.Parse(blob, out var malformed);
        if (parsed is null) return Refuse(session, 0, call, ScmStatus.Success, malformed.Code, malformed.Reason);

        var failures = new List<AuthFailure>();
        var expected = session.Peripheral.ExpectedSoftwareId ?? PasSoftwareIds.ExpectedFor(session.Peripheral.PasId);
        var image = MetadataAuthenticator.Authenticate(parsed, Fuses, expected, failures, SignatureCache);
        if (failures.Count > 0)
        {
            if (Fuses.Enforce) return Refuse(session, 0, call, ScmStatus.Success, failures[0].Code, string.Join("; ", failures.Select(f => f.Reason)));
            foreach (var f in failures) Warn(session, call, f.Reason);
        }

        session.Image = image;
        session.State = PasState.MetadataInit;
        return Succeed(session, call, $"metadata {blob.Length} bytes, v{image.HashSegment.Version}, SW_ID 0x{image.SoftwareId:X}, signer '{image.Signer}'");
    });

    /// <summary>
    /// MEM_SETUP (a0 = pas_id, a1 = phys, a2 = size): fixes the load base of a relocatable image. Needs
    /// INIT_IMAGE first (WRONG_STATE otherwise); the range must be non-empty and inside the peripheral's
    /// carveout (BAD_MEMORY_LAYOUT otherwise).
    /// </summary>
    [ScmCommand(MemSetupCommand)]
    public ScmReply MemSetup(ScmRequest request) => WithSession(request, "MEM_SETUP", session =>
    {
        const string call = "MEM_SETUP";
        if (session.State is not (PasState.MetadataInit or PasState.MemSetup))
            return Refuse(session, 0, call, ScmStatus.Success, PasErrors.WrongState, $"MEM_SETUP needs INIT_IMAGE first (state {session.State})");
        var carveout = session.Peripheral.Carveout;
        if (!PhysRange.TryCreate(request.Arg(1), request.Arg(2), out var range) || !carveout.Contains(range))
            return Refuse(session, 0, call, ScmStatus.Success, PasErrors.BadMemoryLayout,
                $"[0x{request.Arg(1):X}, +0x{request.Arg(2):X}) is not inside the carveout {carveout}");
        session.MemSetup = range;
        session.State = PasState.MemSetup;
        return Succeed(session, call, range.ToString());
    });

    /// <summary>Checks the caller's metadata buffer against the per-mode rules and copies it into a secure array.</summary>
    private long CopyMetadata(ScmRequest request, out byte[]? blob, out string why)
    {
        blob = null;
        if (request.ArgType(1) != ScmArgType.Rw && request.ArgType(1) != ScmArgType.Ro)
        {
            why = "argument 1 must be the metadata buffer pointer (arginfo 0x82)";
            return ScmStatus.InvalidArgument;
        }

        var address = new PhysAddr(request.Arg(1));
        Span<byte> probe = stackalloc byte[ElfHeaderProbe];
        var status = ReadNonSecure(request, address, probe, out why);
        if (status != ScmStatus.Success) return status;
        var tableEnd = MetadataAuthenticator.HeaderTableEnd(probe, out var error);
        if (error is not null || tableEnd > MaxMetadataBytes)
        {
            why = error ?? $"program-header table ends at 0x{tableEnd:X}, beyond the {MaxMetadataBytes}-byte metadata limit";
            return ScmStatus.Success;
        }

        var table = new byte[tableEnd];
        status = ReadNonSecure(request, address, table, out why);
        if (status != ScmStatus.Success) return status;
        var length = MetadataAuthenticator.BlobLength(table, out error);
        if (error is not null || length > MaxMetadataBytes || length < tableEnd)
        {
            why = error ?? $"metadata of 0x{length:X} bytes (phdr0 + hash segment) is outside 0x{tableEnd:X}..0x{MaxMetadataBytes:X}";
            return ScmStatus.Success;
        }

        var copy = new byte[length];
        status = ReadNonSecure(request, address, copy, out why);
        if (status == ScmStatus.Success) blob = copy;
        return status;
    }

    /// <summary>Reads caller memory as TZ after the buffer rule for the caller's mode.</summary>
    private long ReadNonSecure(ScmRequest request, PhysAddr address, Span<byte> destination, out string why)
    {
        why = "";
        var length = (ulong)destination.Length;
        if (_world.CheckNonSecureRam(request.Caller, address, length, ScmBufferAccess.ReadWrite) != ScmStatus.Success)
        {
            why = $"metadata buffer [{address}, +0x{length:X}) is not non-secure RAM the caller may use";
            return ScmStatus.InvalidAddress;
        }

        var range = new PhysRange(address, length);
        var kvmHost = request.Caller is { Kind: MasterKind.NonSecureCpu, ExceptionLevel: 2 };
        if (kvmHost && _world.Bridges.Enabled && _world.Bridges.FindContaining(range) is null)
        {
            why = $"at EL2 the metadata buffer [{address}, +0x{length:X}) must lie inside an SHM bridge";
            return ScmStatus.InvalidAddress;
        }

        if (!kvmHost && _world.Bridges.AnyOverlaps(range))
        {
            why = $"under a hypervisor the metadata buffer [{address}, +0x{length:X}) must be plain DMA memory, but an SHM bridge covers it";
            return ScmStatus.InvalidAddress;
        }

        return _world.Bus.Read(SecureWorld.Master, address, destination) == BusStatus.Ok ? ScmStatus.Success : ScmStatus.InvalidAddress;
    }
}
