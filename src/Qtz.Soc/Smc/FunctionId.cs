using System.Globalization;

namespace Qtz.Soc.Smc;

/// <summary>SMCCC call type, bit 31 of the function ID.</summary>
public enum SmcCallType : byte
{
    /// <summary>Yielding ("standard") call: may be preempted; what qcom_scm_call uses.</summary>
    Std = 0,

    /// <summary>Fast (atomic) call: runs to completion; what qcom_scm_call_atomic uses.</summary>
    Fast = 1,
}

/// <summary>SMCCC calling convention, bit 30 of the function ID: register width of arguments and results.</summary>
public enum SmcConvention : byte
{
    Smc32 = 0,
    Smc64 = 1,
}

/// <summary>SMCCC owning entity, bits 29..24 of the function ID (include/linux/arm-smccc.h).</summary>
public enum SmcOwner : byte
{
    Arm = 0,
    Cpu = 1,
    Sip = 2,
    Oem = 3,
    Standard = 4,
    StandardHyp = 5,
    VendorHyp = 6,
    TrustedApp = 48,
    TrustedAppLast = 49,
    TrustedOs = 50,
    TrustedOsLast = 63,
}

/// <summary>
/// An SMCCC function ID as it travels in W0: (type &lt;&lt; 31) | (convention &lt;&lt; 30) | (owner &lt;&lt; 24) | function,
/// where for SCM the 16-bit function is (svc &lt;&lt; 8) | cmd (spec/scm-pas.md §1.2). Only the low 32 bits
/// of x0 are the ID; the callee ignores the rest.
/// </summary>
public readonly record struct FunctionId(uint Value)
{
    /// <summary>The ID qcom_scm builds for (svc, cmd): SCM_SMC_FNID plus the SMCCC header bits.</summary>
    public static FunctionId Create(SmcCallType type, SmcConvention convention, SmcOwner owner, byte service, byte command) =>
        new(((uint)type << 31) | ((uint)convention << 30) | (((uint)owner & 0x3F) << 24) | ((uint)service << 8) | command);

    /// <summary>The 32-bit ID carried in a 64-bit x0 (upper half ignored, as SMCCC says).</summary>
    public static FunctionId FromRegister(ulong x0) => new((uint)x0);

    public SmcCallType CallType => (SmcCallType)(Value >> 31);

    public SmcConvention Convention => (SmcConvention)((Value >> 30) & 1);

    public SmcOwner Owner => (SmcOwner)((Value >> 24) & 0x3F);

    /// <summary>Bits 23..16: must be zero in an SCM call (SMCCC reserves them).</summary>
    public byte ReservedBits => (byte)(Value >> 16);

    /// <summary>The 16-bit function number (SCM_SMC_FNID).</summary>
    public ushort Function => (ushort)Value;

    public byte Service => (byte)(Value >> 8);

    public byte Command => (byte)Value;

    public bool IsFast => CallType == SmcCallType.Fast;

    public bool Is64 => Convention == SmcConvention.Smc64;

    /// <summary>Whether this is an SCM (SiP-owned, no reserved bits) call that names a service and command.</summary>
    public bool IsScm => Owner == SmcOwner.Sip && ReservedBits == 0;

    public override string ToString() => "0x" + Value.ToString("x8", CultureInfo.InvariantCulture);
}
