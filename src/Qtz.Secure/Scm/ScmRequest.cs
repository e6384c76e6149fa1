using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Secure.Scm;

/// <summary>
/// One decoded SCM call as a service sees it: who called (bus master and exception level), the decoded
/// function ID and arginfo, the arguments (ext-args already fetched from x5), and checked access to
/// the non-secure buffers the arguments point at. Every buffer access goes through
/// <see cref="SecureWorld.CheckNonSecureBuffer"/> first and answers a <see cref="ScmStatus"/>
/// (0 or EINVAL_ADDR/EINVAL_ARG) rather than throwing; services return that status with
/// <see cref="ScmReply.Fail"/>.
/// </summary>
public sealed class ScmRequest
{
    private readonly ulong[] _args;

    internal ScmRequest(SecureWorld world, in SmcCall registers, FunctionId functionId, ulong[] args)
    {
        World = world;
        Registers = registers;
        FunctionId = functionId;
        _args = args;
    }

    public SecureWorld World { get; }

    public SystemBus Bus => World.Bus;

    public VirtualClock Clock => World.Clock;

    /// <summary>The raw registers of this SMC (x0 may be 1 when this is a resumed call).</summary>
    public SmcCall Registers { get; }

    /// <summary>The function ID being served (the original one when resuming an interrupted call).</summary>
    public FunctionId FunctionId { get; }

    public ArgInfo ArgInfo => Registers.ArgInfo;

    public BusMaster Caller => Registers.Caller;

    /// <summary>1: Linux under a hypervisor, or the hypervisor forwarding at 2; 2: a KVM host.</summary>
    public int CallerEl => Registers.CallerEl;

    public byte Service => FunctionId.Service;

    public byte Command => FunctionId.Command;

    public bool IsAtomic => FunctionId.IsFast;

    public SmcConvention Convention => FunctionId.Convention;

    /// <summary>The argument count from arginfo (0..10; the dispatcher refuses more).</summary>
    public int ArgCount => ArgInfo.Count;

    /// <summary>Argument <paramref name="index"/> (0-based; a0 is x2), 32-bit for SMC32 calls; 0 past the count.</summary>
    public ulong Arg(int index) => (uint)index < (uint)ArgCount ? _args[index] : 0;

    public ScmArgType ArgType(int index) => ArgInfo.TypeAt(index);

    /// <summary>Checks that argument <paramref name="index"/> is a pointer (RO/RW) to a valid non-secure buffer of <paramref name="length"/> bytes.</summary>
    public long CheckArgBuffer(int index, ulong length)
    {
        var access = PointerAccess(index);
        return access is { } a ? World.CheckNonSecureBuffer(Caller, new PhysAddr(Arg(index)), length, a) : ScmStatus.InvalidArgument;
    }

    /// <summary>Reads from the buffer argument <paramref name="index"/> points at (RO or RW), starting <paramref name="offset"/> bytes in.</summary>
    public long ReadArgBuffer(int index, Span<byte> destination, ulong offset = 0)
    {
        if (PointerAccess(index) is null) return ScmStatus.InvalidArgument;
        return ReadBuffer(Offset(Arg(index), offset, out var ok), destination, ok, ScmBufferAccess.ReadOnly);
    }

    /// <summary>Writes into the buffer argument <paramref name="index"/> points at, which must be RW.</summary>
    public long WriteArgBuffer(int index, ReadOnlySpan<byte> source, ulong offset = 0)
    {
        if (PointerAccess(index) != ScmBufferAccess.ReadWrite) return ScmStatus.InvalidArgument;
        return WriteBuffer(Offset(Arg(index), offset, out var ok), source, ok);
    }

    /// <summary>Checks a buffer found inside another buffer (a nested pointer such as a storage data_ptr).</summary>
    public long CheckBuffer(PhysAddr address, ulong length, ScmBufferAccess access) =>
        World.CheckNonSecureBuffer(Caller, address, length, access);

    /// <summary>Reads a non-secure buffer found inside another buffer, with the same checks as argument buffers.</summary>
    public long ReadBuffer(PhysAddr address, Span<byte> destination) => ReadBuffer(address, destination, true, ScmBufferAccess.ReadOnly);

    /// <summary>Writes a non-secure buffer found inside another buffer, with the same checks as argument buffers.</summary>
    public long WriteBuffer(PhysAddr address, ReadOnlySpan<byte> source) => WriteBuffer(address, source, true);

    /// <summary>
    /// The host buffers behind a non-secure buffer, for a secure device's scatter-gather DMA, after the
    /// same checks as <see cref="ReadBuffer(PhysAddr, Span{byte})"/>/<see cref="WriteBuffer(PhysAddr, ReadOnlySpan{byte})"/>:
    /// <paramref name="access"/> ReadWrite when the device writes into it, ReadOnly when it only reads.
    /// </summary>
    public long GatherBuffer(PhysAddr address, ulong length, ScmBufferAccess access, List<Memory<byte>> segments)
    {
        var status = CheckBuffer(address, length, access);
        if (status != ScmStatus.Success) return status;
        var kind = access == ScmBufferAccess.ReadWrite ? AccessKind.Write : AccessKind.Read;
        return Bus.Gather(SecureWorld.Master, address, length, kind, segments) == BusStatus.Ok ? ScmStatus.Success : ScmStatus.InvalidAddress;
    }

    private ScmBufferAccess? PointerAccess(int index) =>
        (uint)index >= (uint)ArgCount ? null : ArgType(index) switch
        {
            ScmArgType.Ro => ScmBufferAccess.ReadOnly,
            ScmArgType.Rw => ScmBufferAccess.ReadWrite,
            _ => null,
        };

    private static PhysAddr Offset(ulong address, ulong offset, out bool ok)
    {
        ok = offset <= ulong.MaxValue - address;
        return new PhysAddr(ok ? address + offset : 0);
    }

    private long ReadBuffer(PhysAddr address, Span<byte> destination, bool addressOk, ScmBufferAccess access)
    {
        if (!addressOk) return ScmStatus.InvalidAddress;
        var status = CheckBuffer(address, (ulong)destination.Length, access);
        if (status != ScmStatus.Success) return status;
        return Bus.Read(SecureWorld.Master, address, destination) == BusStatus.Ok ? ScmStatus.Success : ScmStatus.InvalidAddress;
    }

    private long WriteBuffer(PhysAddr address, ReadOnlySpan<byte> source, bool addressOk)
    {
        if (!addressOk) return ScmStatus.InvalidAddress;
        var status = CheckBuffer(address, (ulong)source.Length, ScmBufferAccess.ReadWrite);
        if (status != ScmStatus.Success) return status;
        return Bus.Write(SecureWorld.Master, address, source) == BusStatus.Ok ? ScmStatus.Success : ScmStatus.InvalidAddress;
    }
}
