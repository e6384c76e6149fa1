using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Time;

namespace Qtz.Soc.Smc;

/// <summary>One decoded argument of a traced call. <see cref="Value"/> is null when it lay in an unreadable ext-args buffer.</summary>
public readonly record struct SmcArgument(ScmArgType Type, ulong? Value)
{
    public override string ToString() =>
        ArgInfo.TypeName(Type) + ":" + (Value is { } v ? "0x" + v.ToString("x", CultureInfo.InvariantCulture) : "?");
}

/// <summary>
/// One SMC as the trace records it: when (virtual time), who (caller and EL), what (decoded name like
/// <c>PIL.PAS_INIT_IMAGE</c>, call type, convention, typed arguments), the answer (status, results)
/// and how long it took in virtual time. <see cref="ToString"/> is the one-line ftrace-like form.
/// </summary>
public sealed record SmcTraceEvent(
    VirtualTime Time,
    TimeSpan Duration,
    SmcCall Call,
    SmcResult Result,
    ImmutableArray<SmcArgument> Arguments,
    bool TrappedByHypervisor)
{
    public BusMaster Caller => Call.Caller;

    public int CallerEl => Call.CallerEl;

    public FunctionId FunctionId => Call.FunctionId;

    /// <summary>"PIL.PAS_INIT_IMAGE", "RESUME_INTERRUPTED", or an unknown id spelled out.</summary>
    public string Name => ScmCatalog.CallName(FunctionId);

    public long Status => Result.Status;

    public string StatusName => ScmStatus.Name(Result.Status);

    public ulong Result0 => Result.X1;

    public ulong Result1 => Result.X2;

    public ulong Result2 => Result.X3;

    /// <summary>
    /// <c>0.000120 linux-el1 smc PIL.PAS_INIT_IMAGE 0x42000201 std smc64 (val:0x1, rw:0x85000000) -> OK [0x0 0x0 0x0] 0us</c>
    /// </summary>
    public override string ToString()
    {
        var id = FunctionId;
        var text = new StringBuilder(128);
        text.Append(Time).Append(' ').Append(Caller).Append(" smc ").Append(Name).Append(' ').Append(id)
            .Append(id.IsFast ? " fast" : " std").Append(id.Is64 ? " smc64" : " smc32")
            .Append(" (").AppendJoin(", ", Arguments).Append(") -> ").Append(StatusName)
            .Append(CultureInfo.InvariantCulture, $" [0x{Result0:x} 0x{Result1:x} 0x{Result2:x}]")
            .Append(CultureInfo.InvariantCulture, $" {Duration.Ticks / 10}us");
        if (TrappedByHypervisor) text.Append(" trapped");
        return text.ToString();
    }
}

/// <summary>Decodes the arguments of a call for the trace without touching the bus's fault log or protection.</summary>
internal static class SmcTraceDecoder
{
    public static ImmutableArray<SmcArgument> Arguments(in SmcCall call, SystemBus bus)
    {
        var info = call.ArgInfo;
        if (call.X0 == ScmStatus.ResumeFunctionId || !call.FunctionId.IsScm) return [];
        var count = Math.Min(info.Count, ArgInfo.MaxArgs);
        var is64 = call.FunctionId.Is64;
        var args = ImmutableArray.CreateBuilder<SmcArgument>(count);
        Span<byte> ext = stackalloc byte[ScmExtArgs.SizeInBytes(SmcConvention.Smc64)];
        var convention = call.FunctionId.Convention;
        var extLength = ScmExtArgs.SizeInBytes(convention);
        var haveExt = info.UsesExtArgs && Peek(bus, new PhysAddr(is64 ? call.X5 : (uint)call.X5), ext[..extLength]);
        for (var i = 0; i < count; i++)
        {
            ulong? value;
            if (i < ScmExtArgs.FirstArg || !info.UsesExtArgs) value = call.RegisterArg(i);
            else value = haveExt ? ScmExtArgs.Decode(ext, convention, i - ScmExtArgs.FirstArg) : null;
            if (!is64 && value is { } v) value = (uint)v;
            args.Add(new SmcArgument(info.TypeAt(i), value));
        }

        return args.MoveToImmutable();
    }

    /// <summary>A debugger's read of RAM: no protection check, no fault recorded, false when not plain RAM.</summary>
    private static bool Peek(SystemBus bus, PhysAddr address, Span<byte> destination)
    {
        var window = bus.Decode(address);
        if (window?.Memory is not { } memory || !window.Range.Contains(address, (ulong)destination.Length)) return false;
        memory.Read(address - window.Range.Base, destination);
        return true;
    }
}
