using System.Buffers.Binary;
using System.Globalization;
using Qtz.Firmware.HashSegments;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;

namespace Qtz.Secure.Tee;

/// <summary>
/// OP-TEE's Qualcomm PAS trusted application with its platform PTA folded in (spec/socs.md §4.4-4.5,
/// firmware-formats.md §4.3). Only REE-kernel logins open a session. Each command checks its parameter
/// types as the table lays them out (else TEE_ERROR_BAD_PARAMETERS) and then asks the one PAS core the
/// SCM door uses (<see cref="PasService"/>): INIT_IMAGE copies the metadata out of shared memory into
/// secure memory, keyed by pas_id, and authenticates it there; on a fused device UIE-encrypted and
/// QTI-countersigned images are refused besides every check `qtz fw verify` makes; AUTH_AND_RESET
/// re-hashes every loaded segment in the non-secure carveout before the core leaves reset. The TA's
/// results are TEE codes; why it refused is the core's event (<see cref="PasService.LastError"/>).
/// </summary>
public sealed class PasTrustedApp(PasService pas) : ITrustedApplication
{
    /// <summary>"ISMQ": the u32 after the OEM chain that marks a UIE-encrypted image (firmware-formats.md §2.2).</summary>
    public const uint UieMagic = 0x514D5349;

    /// <summary>CAPABILITIES flags (qtz decision; the TA's own bits are UNCONFIRMED): bit 0 segment hashes, bit 1 signatures when fused.</summary>
    public const uint CapabilitySegmentHashes = 1;
    public const uint CapabilitySignatures = 2;

    private readonly PasService _pas = pas ?? throw new ArgumentNullException(nameof(pas));

    public ReadOnlySpan<byte> Uuid => QcomPasTa.Uuid;

    public string Name => "PAS";

    /// <summary>Only the kernel itself (TEE_LOGIN_REE_KERNEL) may drive PAS; user space gets ACCESS_DENIED.</summary>
    public uint OpenSession(uint login) => login == TeeResult.LoginReeKernel ? TeeResult.Success : TeeResult.AccessDenied;

    public uint Invoke(uint function, IReadOnlyList<TaParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = parameters;
        return function switch
        {
            QcomPasTa.IsSupported when Types(p, TaParamType.ValueInput) => _pas.Knows((uint)p[0].A) ? TeeResult.Success : TeeResult.NotSupported,
            QcomPasTa.Capabilities when Types(p, TaParamType.ValueInput, TaParamType.ValueOutput) => Capabilities(p),
            QcomPasTa.InitImage when Types(p, TaParamType.ValueInput, TaParamType.MemrefInput) => InitImage(p),
            QcomPasTa.MemSetup when Types(p, TaParamType.ValueInput, TaParamType.ValueInput) =>
                Result(_pas.TeeMemSetup((uint)p[0].A, (p[1].B << 32) | (uint)p[1].A, (uint)p[0].B)),
            QcomPasTa.GetResourceTable when Types(p, TaParamType.ValueInput, TaParamType.MemrefInout) => ResourceTable(p),
            QcomPasTa.AuthAndReset when Types(p, TaParamType.ValueInput, TaParamType.ValueInput, TaParamType.MemrefInput) =>
                Result(_pas.TeeAuthAndReset((uint)p[0].A, (p[1].B << 32) | (uint)p[1].A, (uint)p[0].B)),
            QcomPasTa.SetRemoteState when Types(p, TaParamType.ValueInput) => Result(_pas.TeeSetRemoteState((uint)p[0].A, (uint)p[0].B)),
            QcomPasTa.Shutdown when Types(p, TaParamType.ValueInput) => Result(_pas.TeeShutdown((uint)p[0].A)),
            QcomPasTa.IsSupported or QcomPasTa.Capabilities or QcomPasTa.InitImage or QcomPasTa.MemSetup or QcomPasTa.GetResourceTable
                or QcomPasTa.AuthAndReset or QcomPasTa.SetRemoteState or QcomPasTa.Shutdown => TeeResult.BadParameters,
            _ => TeeResult.NotSupported,
        };
    }

    public string Describe(uint function, IReadOnlyList<TaParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = parameters;
        var name = QcomPasTa.CommandName(function);
        var id = string.Create(CultureInfo.InvariantCulture, $"pas_id={p[0].A}");
        return function switch
        {
            QcomPasTa.InitImage => $"{name} {id} metadata={p[1].Size}",
            QcomPasTa.MemSetup => string.Create(CultureInfo.InvariantCulture, $"{name} {id} addr=0x{(p[1].B << 32) | (uint)p[1].A:x} size=0x{p[0].B:x}"),
            QcomPasTa.GetResourceTable => $"{name} {id} {(p[1].Buffer is null ? "size?" : "table")}={p[1].Size}",
            QcomPasTa.AuthAndReset => string.Create(CultureInfo.InvariantCulture, $"{name} {id} mem=0x{(p[1].B << 32) | (uint)p[1].A:x}+0x{p[0].B:x}"),
            QcomPasTa.SetRemoteState => $"{name} {id} state={p[0].B}",
            _ => $"{name} {id}",
        };
    }

    /// <summary>OP-TEE's own refusals on top of the shared checks (counted as failures, so they refuse only when the fuse is blown).</summary>
    internal static AuthFailure? ImageKindPolicy(PasImage image)
    {
        var segment = image.HashSegment;
        var signers = segment.Signers.ToList();
        if (signers.Contains(Signer.Qti) && signers.Contains(Signer.Oem))
            return new AuthFailure(PasErrors.ImageKindRefused, "the image is QTI-countersigned (QTI and OEM signatures); OP-TEE's PAS refuses countersigned images");
        if (IsUieEncrypted(segment))
            return new AuthFailure(PasErrors.ImageKindRefused, "the image is UIE-encrypted ('ISMQ' after the OEM chain); OP-TEE's PAS cannot decrypt it");
        return null;
    }

    /// <summary>The u32 right after the OEM certificate chain is "ISMQ".</summary>
    internal static bool IsUieEncrypted(HashSegment segment)
    {
        var end = segment.OemChainRange.End.GetOffset(segment.Bytes.Length);
        return segment.Header.OemSignatureSize != 0 && end >= 0 && (long)end + 4 <= segment.Bytes.Length
            && BinaryPrimitives.ReadUInt32LittleEndian(segment.Bytes.AsSpan(end)) == UieMagic;
    }

    private uint Capabilities(IReadOnlyList<TaParam> p)
    {
        if (!_pas.Knows((uint)p[0].A)) return TeeResult.NotSupported;
        p[1].A = CapabilitySegmentHashes | (_pas.Fuses.Enforce ? CapabilitySignatures : 0);
        return TeeResult.Success;
    }

    /// <summary>The metadata leaves shared memory first: the copy is what gets authenticated and kept.</summary>
    private uint InitImage(IReadOnlyList<TaParam> p)
    {
        var memref = p[1];
        if (memref.Buffer is not { } at || memref.Size == 0 || memref.Size > PasService.MaxMetadataBytes) return TeeResult.BadParameters;
        var copy = new byte[memref.Size];
        if (_pas.ReadAsSecure(at, copy) != BusStatus.Ok) return TeeResult.BadParameters;
        return Result(_pas.TeeInitImage((uint)p[0].A, copy, ImageKindPolicy));
    }

    /// <summary>Without a buffer: the size needed. With one: the answer written in, its size back (SHORT_BUFFER with the size when it does not fit).</summary>
    private uint ResourceTable(IReadOnlyList<TaParam> p)
    {
        var pasId = (uint)p[0].A;
        var memref = p[1];
        if (memref.Buffer is not { } at)
        {
            var needed = _pas.TeeResourceTableSize(pasId, memref.Size);
            if (needed.Ok) memref.Size = needed.R0;
            return Result(needed);
        }

        if (memref.Size > PasService.MaxInputTableBytes) return TeeResult.BadParameters;
        var input = new byte[memref.Size];
        if (_pas.ReadAsSecure(at, input) != BusStatus.Ok) return TeeResult.BadParameters;
        var outcome = _pas.TeeResourceTable(pasId, input, out var table);
        if (!outcome.Ok || table is null) return Result(outcome);
        if ((ulong)table.Length > memref.Size)
        {
            memref.Size = (ulong)table.Length;
            return TeeResult.ShortBuffer;
        }

        if (_pas.WriteAsSecure(at, table) != BusStatus.Ok) return TeeResult.BadParameters;
        memref.Size = (ulong)table.Length;
        return TeeResult.Success;
    }

    private static bool Types(IReadOnlyList<TaParam> p, params TaParamType[] expected)
    {
        for (var i = 0; i < 4; i++)
        {
            if (p[i].Type != (i < expected.Length ? expected[i] : TaParamType.None)) return false;
        }

        return true;
    }

    /// <summary>The core's outcome as a TEE result (Linux only tests for non-zero; the reason stays in the core's event).</summary>
    private static uint Result(PasOutcome o)
    {
        if (o.Ok) return TeeResult.Success;
        if (o.Status != ScmStatus.Success) return TeeResult.BadParameters;
        return o.Code switch
        {
            PasErrors.WrongState => TeeResult.BadState,
            PasErrors.MalformedMetadata => TeeResult.BadFormat,
            PasErrors.BadMemoryLayout => TeeResult.BadParameters,
            _ => TeeResult.Security,
        };
    }
}
