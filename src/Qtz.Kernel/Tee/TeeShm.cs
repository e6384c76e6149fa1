using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tee;

/// <summary>
/// A TEE shared-memory buffer (tee_shm_alloc_kernel_buf): non-secure, physically contiguous memory from
/// the kernel's DMA region, registered with the secure OS (OPTEE_MSG_CMD_REGISTER_SHM) under a cookie
/// that memrefs then name. Freed (unregistered, then returned) with <see cref="OpteeClient.FreeShm"/>.
/// </summary>
public sealed class TeeShm
{
    internal TeeShm(OpteeClient owner, PhysRange range, ulong cookie)
    {
        Owner = owner;
        Range = range;
        Cookie = cookie;
    }

    internal OpteeClient Owner { get; }

    public PhysRange Range { get; }

    public ulong Size => Range.Size;

    /// <summary>The shm_ref the secure OS knows the buffer by.</summary>
    public ulong Cookie { get; }

    public bool Freed { get; internal set; }

    public BusStatus Write(ulong offset, ReadOnlySpan<byte> data) => Owner.Bus.Write(Owner.Cpu, Range.Base + offset, data);

    public BusStatus Read(ulong offset, Span<byte> destination) => Owner.Bus.Read(Owner.Cpu, Range.Base + offset, destination);

    public override string ToString() => $"tee shm 0x{Cookie:x} {Range}";
}
