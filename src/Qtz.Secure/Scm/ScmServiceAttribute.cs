using Qtz.Soc;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Scm;

/// <summary>
/// Marks a class as a TrustZone SCM service: every method tagged <see cref="ScmCommandAttribute"/> answers
/// (<see cref="Service"/>, command). Several classes may share one service id (MP hosts both the SHM
/// bridge and hyp-assign) as long as no (service, command) pair is claimed twice.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ScmServiceAttribute(byte service) : Attribute
{
    public byte Service { get; } = service;
}

/// <summary>
/// What the compiler writes for a partial class marked <see cref="ScmServiceAttribute"/>: adds each
/// <see cref="ScmCommandAttribute"/> method to the table (see Qtz.Secure.Generators).
/// </summary>
public interface IScmService
{
    void RegisterCommands(ScmServiceTable.Builder builder);
}

/// <summary>
/// Marks a method as the handler of one SCM command. The method must have the shape of
/// <see cref="ScmHandler"/>: <c>ScmReply Name(ScmRequest request)</c> (instance or static).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ScmCommandAttribute(byte command) : Attribute
{
    public byte Command { get; } = command;
}

/// <summary>
/// Handles one decoded SCM call. Must not throw for any guest input: bad arguments are a status
/// (<see cref="ScmReply.Fail"/>), never an exception.
/// </summary>
public delegate ScmReply ScmHandler(ScmRequest request);

/// <summary>
/// A service's answer. <see cref="Status"/> goes to x0 (0 = the call itself worked), the three results to
/// x1..x3 (result[0..2]). Following spec/scm-pas.md §1.6, a service-level failure Linux reads as
/// <c>ret ?: result[0]</c> is <see cref="ServiceError"/>: x0 = 0 and the code in x1.
/// </summary>
public readonly record struct ScmReply(long Status, ulong Result0 = 0, ulong Result1 = 0, ulong Result2 = 0)
{
    /// <summary>x0 = 0 with the given results.</summary>
    public static ScmReply Ok(ulong result0 = 0, ulong result1 = 0, ulong result2 = 0) => new(ScmStatus.Success, result0, result1, result2);

    /// <summary>x0 = a negative <see cref="ScmStatus"/> (EINVAL_ARG, EINVAL_ADDR, …).</summary>
    public static ScmReply Fail(long status) => new(status);

    /// <summary>x0 = 0, x1 = <paramref name="code"/>: the call went through, the service said no.</summary>
    public static ScmReply ServiceError(ulong code) => new(ScmStatus.Success, code);

    /// <summary>QCOM_SCM_V2_EBUSY: the caller should retry later.</summary>
    public static ScmReply Busy => new(ScmStatus.Busy);

    /// <summary>QCOM_SCM_INTERRUPTED: the dispatcher hands out a session word and re-runs the handler on resume.</summary>
    public static ScmReply Interrupted => new(ScmStatus.Interrupted);

    public bool IsSuccess => Status == ScmStatus.Success;
}
