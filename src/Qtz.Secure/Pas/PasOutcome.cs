using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;

namespace Qtz.Secure.Pas;

/// <summary>
/// What the PAS core answered one call, independent of the door it came through: the SCM door turns it
/// into x0/x1 (<see cref="Status"/>, <see cref="Code"/>), the OP-TEE door into a TEE result.
/// <see cref="Reason"/> is the refusal (or success detail) a person reads.
/// </summary>
public readonly record struct PasOutcome(long Status, ulong Code, string Reason, ulong R0 = 0, ulong R1 = 0, ulong R2 = 0)
{
    public bool Ok => Status == ScmStatus.Success && Code == PasErrors.None;

    public static PasOutcome Success(string detail) => new(ScmStatus.Success, PasErrors.None, detail);
}
