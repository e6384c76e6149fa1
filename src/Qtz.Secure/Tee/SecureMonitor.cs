using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;

namespace Qtz.Secure.Tee;

/// <summary>
/// EL3's SMC routing on a board whose secure OS is OP-TEE: calls owned by the trusted OS (SMCCC owners
/// 50-63, OPTEE_SMC_*) go to OP-TEE, everything else (SiP-owned SCM calls: SHM bridge, hyp-assign,
/// storage) to the SCM dispatcher as before.
/// </summary>
public sealed class SecureMonitor(ScmDispatcher scm, OpteeOs optee) : ISecureMonitor
{
    public ScmDispatcher Scm { get; } = scm ?? throw new ArgumentNullException(nameof(scm));

    public OpteeOs Optee { get; } = optee ?? throw new ArgumentNullException(nameof(optee));

    public SmcResult Handle(in SmcCall call)
    {
        var owner = call.FunctionId.Owner;
        return owner is >= SmcOwner.TrustedOs and <= SmcOwner.TrustedOsLast && call.X0 != ScmStatus.ResumeFunctionId
            ? Optee.Handle(call)
            : Scm.Handle(call);
    }
}
