using Qtz.Secure.Hypervisor;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// Who sits at EL2 under the guest kernel, as qtz models it for the remote processors.
/// </summary>
public enum GuestHypervisor
{
    /// <summary>
    /// Qualcomm's QHEE: Linux runs at EL1, QHEE traps AUTH_AND_RESET and SHUTDOWN, bridges the carveout
    /// and programs the DSP's SMMU stream itself (qtz's <see cref="Qtz.Secure.Hypervisor.Qhee"/>).
    /// </summary>
    Qhee,

    /// <summary>
    /// Linux is the KVM host at EL2 and owns the apps SMMU (its arm-smmu driver resets it with
    /// unmatched streams faulting, Linux's <c>disable_bypass</c> default). A 6.12 PAS driver programs
    /// nothing for the DSP streams, so each DSP faults on its first fetch: the failure the 2024
    /// "Peripheral Image Loader support" cover letter describes for a KVM host.
    /// </summary>
    Kvm,
}
