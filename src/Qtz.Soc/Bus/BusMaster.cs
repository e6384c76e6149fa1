namespace Qtz.Soc.Bus;

/// <summary>Who drives a bus transaction.</summary>
public enum MasterKind : byte
{
    /// <summary>An application CPU in the non-secure world (Linux), at <see cref="BusMaster.ExceptionLevel"/> 1 or 2.</summary>
    NonSecureCpu,

    /// <summary>Qualcomm's hypervisor (QHEE) at EL2: owns stage-2 and the SMMU for remote processors.</summary>
    Hypervisor,

    /// <summary>TrustZone firmware: the secure world.</summary>
    Secure,

    /// <summary>A device (DSP) whose accesses have been translated by the SMMU for stream <see cref="BusMaster.Stream"/>.</summary>
    Device,

    /// <summary>The SMMU's own page-table walker.</summary>
    SmmuWalker,
}

/// <summary>
/// The identity a transaction carries on the bus: what protection units check. Linux at EL1 (under
/// QHEE) and Linux at EL2 (KVM host) are both the HLOS VMID; only the exception level differs. The
/// hypervisor carries its own VMID (<see cref="Vmid.Hyp"/>) so it can keep pages from the HLOS it hosts.
/// </summary>
public readonly record struct BusMaster(MasterKind Kind, Vmid Vmid, byte ExceptionLevel = 0, ushort Stream = 0)
{
    public static BusMaster LinuxEl1 => new(MasterKind.NonSecureCpu, Vmid.Hlos, 1);

    public static BusMaster LinuxEl2 => new(MasterKind.NonSecureCpu, Vmid.Hlos, 2);

    public static BusMaster Hyp => new(MasterKind.Hypervisor, Vmid.Hyp, 2);

    public static BusMaster SecureWorld => new(MasterKind.Secure, Vmid.Tz, 3);

    public static BusMaster SmmuWalker => new(MasterKind.SmmuWalker, Vmid.Hlos);

    public static BusMaster Dsp(ushort streamId, Vmid vmid) => new(MasterKind.Device, vmid, 0, streamId);

    public static BusMaster NonSecureCpu(int exceptionLevel) => exceptionLevel switch
    {
        1 => LinuxEl1,
        2 => LinuxEl2,
        _ => throw new ArgumentOutOfRangeException(nameof(exceptionLevel), "a non-secure CPU runs Linux at EL1 or EL2"),
    };

    public bool IsSecure => Kind == MasterKind.Secure;

    /// <summary>Hardware lets only the secure world and the hypervisor reprogram protection units.</summary>
    public bool MayProgramProtection => Kind is MasterKind.Secure or MasterKind.Hypervisor;

    public override string ToString() => Kind switch
    {
        MasterKind.NonSecureCpu => $"linux-el{ExceptionLevel}",
        MasterKind.Hypervisor => "qhee",
        MasterKind.Secure => "secure",
        MasterKind.Device => $"dsp(sid=0x{Stream:x},{Vmid})",
        MasterKind.SmmuWalker => "smmu-walker",
        _ => Kind.ToString(),
    };
}
