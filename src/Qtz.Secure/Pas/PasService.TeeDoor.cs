using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;

namespace Qtz.Secure.Pas;

/// <summary>
/// The second front door: what OP-TEE's PAS pseudo-TA asks of the same core the SCM handlers use
/// (ARCHITECTURE §7). Same sessions, same authentication, same carveout lock, same re-hash, same DSP
/// release; only the transport rules differ (no SCM buffer or SHM-bridge rules: OP-TEE copies the
/// metadata out of its own shared memory and maps the carveout itself). Event names carry the door.
/// </summary>
public sealed partial class PasService
{
    private const string TeeDoor = " (OP-TEE PAS TA)";

    /// <summary>Whether <paramref name="pasId"/> is a peripheral of this board (IS_SUPPORTED).</summary>
    public bool Knows(uint pasId)
    {
        lock (_gate) return _sessions.ContainsKey(pasId);
    }

    internal PasOutcome TeeInitImage(uint pasId, byte[] blob, Func<PasImage, AuthFailure?> doorPolicy) =>
        WithSession(pasId, "INIT_IMAGE" + TeeDoor, s => AuthenticateMetadata(s, "INIT_IMAGE" + TeeDoor, blob, doorPolicy), o => o);

    internal PasOutcome TeeMemSetup(uint pasId, ulong address, ulong size) =>
        WithSession(pasId, "MEM_SETUP" + TeeDoor, s => FixLoadBase(s, "MEM_SETUP" + TeeDoor, address, size), o => o);

    /// <summary>
    /// AUTH_AND_RESET through the TA: a carveout given by prepare_and_auth_reset (size non-zero) must be
    /// this peripheral's (its size as the 32-bit value.b carries it); plain auth_and_reset sends 0/0.
    /// </summary>
    internal PasOutcome TeeAuthAndReset(uint pasId, ulong memPhys, ulong memSize) => WithSession(pasId, "AUTH_AND_RESET" + TeeDoor, s =>
    {
        const string call = "AUTH_AND_RESET" + TeeDoor;
        var carveout = s.Peripheral.Carveout;
        if (memSize != 0 && (memPhys != carveout.Base.Value || memSize != (uint)carveout.Size))
            return Refused(s, 0, call, ScmStatus.Success, PasErrors.BadMemoryLayout, $"the carveout given, 0x{memPhys:X}+0x{memSize:X}, is not this peripheral's {carveout}");
        return VerifyAndRelease(s, call, requireBridge: false);
    }, o => o);

    internal PasOutcome TeeShutdown(uint pasId) =>
        WithSession(pasId, "SHUTDOWN" + TeeDoor, s => StopAndUnlock(s, "SHUTDOWN" + TeeDoor), o => o);

    /// <summary>GET_RESOURCE_TABLE's size question: the input's size plus what the answer adds.</summary>
    internal PasOutcome TeeResourceTableSize(uint pasId, ulong inputSize) =>
        WithSession(pasId, "GET_RESOURCE_TABLE" + TeeDoor, s => new PasOutcome(ScmStatus.Success, PasErrors.None, "", inputSize + DevmemBytes(s)), o => o);

    /// <summary>GET_RESOURCE_TABLE's answer for the table in <paramref name="input"/>; null with the outcome's reason when it is not one.</summary>
    internal PasOutcome TeeResourceTable(uint pasId, ReadOnlySpan<byte> input, out byte[]? table)
    {
        const string call = "GET_RESOURCE_TABLE" + TeeDoor;
        byte[]? answer = null;
        var copy = input.ToArray();
        var outcome = WithSession(pasId, call, s =>
        {
            answer = AnswerTable(s, copy, out var why);
            return answer is null
                ? Refused(s, 0, call, ScmStatus.InvalidArgument, 0, why)
                : Succeeded(s, call, $"{s.Peripheral.DeviceMemory.Count} devmem entries, {answer.Length} bytes");
        }, o => o);
        table = answer;
        return outcome;
    }

    internal PasOutcome TeeSetRemoteState(uint pasId, uint state)
    {
        RemoteState.Record(pasId, state);
        return PasOutcome.Success("");
    }

    /// <summary>The PTA's view of a PAS id: OFFLINE, LOADED (metadata held) or RUNNING.</summary>
    public uint TeeStateOf(uint pasId) => StateOf(pasId) switch
    {
        PasState.Running => QcomPasTa.StateRunning,
        PasState.MetadataInit or PasState.MemSetup => QcomPasTa.StateLoaded,
        _ => QcomPasTa.StateOffline,
    };

    /// <summary>Whether TZ holds metadata for <paramref name="pasId"/> (the TA's private copy, until AUTH_AND_RESET or SHUTDOWN).</summary>
    public bool HoldsMetadata(uint pasId)
    {
        lock (_gate) return _sessions.TryGetValue(pasId, out var s) && s.Image is not null;
    }

    /// <summary>A read of non-secure memory by the secure OS (a buffer the OP-TEE core has already checked).</summary>
    internal BusStatus ReadAsSecure(PhysAddr address, Span<byte> destination) => _world.Bus.Read(SecureWorld.Master, address, destination);

    internal BusStatus WriteAsSecure(PhysAddr address, ReadOnlySpan<byte> source) => _world.Bus.Write(SecureWorld.Master, address, source);
}
