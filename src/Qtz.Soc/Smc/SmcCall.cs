using Qtz.Soc.Bus;

namespace Qtz.Soc.Smc;

/// <summary>
/// The registers an SMC instruction hands to EL3: x0 (function ID, or 1 to resume an interrupted call),
/// x1 (arginfo), x2..x5 (arguments, x5 the ext-args pointer when there are more than four), x6 (the
/// session word TZ returned last time, 0 on a fresh call), x7 (0), and who executed it.
/// </summary>
public readonly record struct SmcCall(
    BusMaster Caller,
    ulong X0,
    ulong X1 = 0,
    ulong X2 = 0,
    ulong X3 = 0,
    ulong X4 = 0,
    ulong X5 = 0,
    ulong X6 = 0,
    ulong X7 = 0)
{
    public FunctionId FunctionId => FunctionId.FromRegister(X0);

    public ArgInfo ArgInfo => new((uint)X1);

    /// <summary>The exception level the SMC was executed at (1 = Linux under a hypervisor, 2 = KVM host or hypervisor).</summary>
    public int CallerEl => Caller.ExceptionLevel;

    /// <summary>x2..x5 as the four register arguments.</summary>
    public ulong RegisterArg(int index) => index switch
    {
        0 => X2,
        1 => X3,
        2 => X4,
        3 => X5,
        _ => throw new ArgumentOutOfRangeException(nameof(index), "register arguments are x2..x5 (0..3)"),
    };
}

/// <summary>
/// What comes back from EL3: x0 status (sign-extended), x1..x3 results, x6 the session word the caller
/// must feed back when it re-issues an interrupted call.
/// </summary>
public readonly record struct SmcResult(ulong X0, ulong X1 = 0, ulong X2 = 0, ulong X3 = 0, ulong X6 = 0)
{
    /// <summary>x0 as the signed status Linux reads it.</summary>
    public long Status => (long)X0;

    /// <summary>A result with only a status in x0 (negative codes sign-extended to 64 bits).</summary>
    public static SmcResult FromStatus(long status) => new((ulong)status);
}
