using System.Security.Cryptography;
using Qtz.Firmware;
using Qtz.Firmware.Elf;
using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Protection;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Pas;

public sealed partial class PasService
{

    /// <summary>
    /// AUTH_AND_RESET (a0 = pas_id), firmware-formats.md §4.3 steps 4-7: needs INIT_IMAGE (WRONG_STATE); the
    /// image window [rounddown(min paddr), roundup(max end)) placed at the MEM_SETUP base must fit the
    /// carveout and hold the entry point (BAD_MEMORY_LAYOUT); a caller at EL2 (KVM host, or the hypervisor
    /// forwarding) needs a live SHM bridge over the window once bridges are enabled (CARVEOUT_NOT_BRIDGED).
    /// The carveout is locked to the DSP's VMID FIRST, so nothing can change between hashing and release;
    /// then every hashed segment is re-hashed in place through the bus as the secure master, its ZI tail
    /// zeroed (SEGMENT_HASH_MISMATCH unlocks again). On success the core leaves reset with the image.
    /// </summary>
    [ScmCommand(AuthAndResetCommand)]
    public ScmReply AuthAndReset(ScmRequest request) => WithSession(request, "AUTH_AND_RESET", session =>
        Reply(VerifyAndRelease(session, "AUTH_AND_RESET", requireBridge: request.CallerEl == 2 && _world.Bridges.Enabled)));

    /// <summary>
    /// The release core both doors share: layout, the SHM-bridge rule when the SCM door asks for it, lock,
    /// re-hash every hashed segment in place, release the core. The OP-TEE door passes no bridge rule
    /// (OP-TEE reads the carveout through its own mapping, not through Qualcomm's SHM bridges).
    /// </summary>
    private PasOutcome VerifyAndRelease(PasSession session, string call, bool requireBridge)
    {
        if (session.Peripheral.AuthAndResetNotSupported)
            return Refused(session, 0, call, ScmStatus.NotSupported, 0, "this TrustZone does not authenticate this image (not needed on the target)");
        if (session.State is not (PasState.MetadataInit or PasState.MemSetup) || session.Image is not { } image)
            return Refused(session, 0, call, ScmStatus.Success, PasErrors.WrongState, $"AUTH_AND_RESET needs an authenticated INIT_IMAGE first (state {session.State})");
        var peripheral = session.Peripheral;
        var layout = PasLayout.Compute(image, session.MemSetup, peripheral.Carveout, out var layoutError);
        if (layout is null) return Refused(session, 0, call, ScmStatus.Success, PasErrors.BadMemoryLayout, layoutError);
        if (requireBridge && _world.Bridges.FindContaining(layout.Window) is null)
            return Refused(session, 0, call, ScmStatus.Success, PasErrors.CarveoutNotBridged, $"at EL2 the image window {layout.Window} must be inside a live SHM bridge during AUTH_AND_RESET");

        Lock(session);
        var mismatch = RehashSegments(image, layout);
        if (mismatch is not null)
        {
            Unlock(session, scrub: false);
            return Refused(session, 0, call, ScmStatus.Success, PasErrors.SegmentHashMismatch, mismatch);
        }

        if (Fuses.CommitRollback) Fuses.RaiseRollbackFloor(image.AntiRollbackVersion);
        session.Image = null;
        session.State = PasState.Running;
        session.AuthenticatedAt = _world.Clock.Now;
        if (peripheral.Core is not { } core)
            return Succeeded(session, call, $"{layout.Hashed} segments verified in place; carveout {peripheral.Carveout} locked to {peripheral.Vmid} (an image its DSP reads; no core to release)");
        if (core.State != DspState.Reset) core.AssertReset();
        core.ReleaseReset(layout.BootImage(peripheral));
        return Succeeded(session, call, $"{layout.Hashed} segments verified in place; carveout {peripheral.Carveout} locked to {peripheral.Vmid}; entry {layout.Entry}");
    }

    /// <summary>
    /// SHUTDOWN (a0 = pas_id): asserts the core's reset and unlocks the carveout, its bytes left for Linux's
    /// coredump (scrubbed first with <see cref="ScrubOnShutdown"/>: the zero fill releases the sparse
    /// pages); also drops metadata of a peripheral that never started. Idle: WRONG_STATE.
    /// </summary>
    [ScmCommand(ShutdownCommand)]
    public ScmReply Shutdown(ScmRequest request) => WithSession(request, "SHUTDOWN", session => Reply(StopAndUnlock(session, "SHUTDOWN")));

    private PasOutcome StopAndUnlock(PasSession session, string call)
    {
        if (session.State == PasState.Idle)
            return Refused(session, 0, call, ScmStatus.Success, PasErrors.WrongState, "nothing to shut down (no INIT_IMAGE, or already shut down)");
        if (session.State == PasState.Running && session.AuthenticatedAt is { } at && _world.Clock.Now - at < session.Peripheral.DecryptingAfterAuth)
            return Refused(session, 0, call, ScmStatus.InvalidArgument, 0, $"still decrypting the image ({(_world.Clock.Now - at).TotalMilliseconds:0} of {session.Peripheral.DecryptingAfterAuth.TotalMilliseconds:0} ms since AUTH_AND_RESET): try again");
        session.Peripheral.Core?.AssertReset();
        var wasRunning = session.CarveoutLocked;
        var scrub = wasRunning && ScrubOnShutdown;
        Unlock(session, scrub);
        session.Image = null;
        session.MemSetup = null;
        session.State = PasState.Idle;
        return Succeeded(session, call, wasRunning ? $"core in reset; carveout {session.Peripheral.Carveout} {(scrub ? "scrubbed and " : "")}unlocked" : "metadata released");
    }

    private void Lock(PasSession session)
    {
        var p = session.Peripheral;
        var region = ProtectionRegion.Exclusive(session.LockName, p.Carveout, AccessPermissions.All, p.Vmid);
        if (!_world.Bus.Protection.Set(SecureWorld.Master, region))
            throw new InvalidOperationException("the secure world could not program the protection unit");
        session.CarveoutLocked = true;
    }

    private void Unlock(PasSession session, bool scrub)
    {
        if (!session.CarveoutLocked) return;
        if (scrub) _world.Bus.Fill(SecureWorld.Master, session.Peripheral.Carveout.Base, session.Peripheral.Carveout.Size, 0);
        _world.Bus.Protection.Remove(SecureWorld.Master, session.LockName);
        session.CarveoutLocked = false;
    }

    /// <summary>Hashes each hashed segment where Linux loaded it, without copying it; null when all match.</summary>
    private string? RehashSegments(PasImage image, PasLayout layout)
    {
        var segment = image.HashSegment;
        foreach (var (index, at) in layout.HashedSegments)
        {
            var phdr = image.Elf.ProgramHeaders[index];
            var tail = phdr.MemorySize - phdr.FileSize;
            if (tail != 0 && _world.Bus.Fill(SecureWorld.Master, at + phdr.FileSize, tail, 0) != BusStatus.Ok)
                return $"segment {index}: cannot zero its ZI tail at {at + phdr.FileSize}";
            using var hash = IncrementalHash.CreateHash(segment.TableAlgorithm);
            if (_world.Bus.Visit(SecureWorld.Master, at, phdr.FileSize, hash, static (chunk, h) => h.AppendData(chunk)) != BusStatus.Ok)
                return $"segment {index}: [{at}, +0x{phdr.FileSize:X}) is not readable memory";
            var digest = hash.GetHashAndReset();
            if (!segment.Entry(index).SequenceEqual(digest))
                return $"segment {index} at {at} ({phdr.FileSize} bytes): {segment.TableAlgorithm.Name} is {Convert.ToHexStringLower(digest)}, the hash table says {Convert.ToHexStringLower(segment.Entry(index))}";
        }

        return null;
    }
}
