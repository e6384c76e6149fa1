namespace Qtz.Soc.Bus;

/// <summary>
/// A Qualcomm virtual-machine id: the owner tag that protection units (XPUs) and hyp-assign use.
/// Values from include/dt-bindings/firmware/qcom,scm.h.
/// </summary>
public readonly record struct Vmid(byte Value)
{
    public static Vmid Tz => new(0x01);
    public static Vmid Hlos => new(0x03);

    /// <summary>
    /// The hypervisor's own VMID, so protection units can tell QHEE from the HLOS it hosts. qcom,scm.h names
    /// no such VMID; 0x02 (unused between TZ and HLOS there) is a qtz choice — UNCONFIRMED.
    /// </summary>
    public static Vmid Hyp => new(0x02);
    public static Vmid SscQ6 => new(0x05);
    public static Vmid AdspQ6 => new(0x06);
    public static Vmid HlosFree => new(0x0E);
    public static Vmid MssMsa => new(0x0F);
    public static Vmid MssNonMsa => new(0x10);
    public static Vmid Lpass => new(0x16);
    public static Vmid Wlan => new(0x18);
    public static Vmid Cdsp => new(0x1E);
    public static Vmid AdspHeap => new(0x25);
    public static Vmid Nav => new(0x2B);

    /// <summary>The name Linux's header gives this VMID, or its number.</summary>
    public string Name => Value switch
    {
        0x01 => "TZ",
        0x02 => "HYP",
        0x03 => "HLOS",
        0x05 => "SSC_Q6",
        0x06 => "ADSP_Q6",
        0x0E => "HLOS_FREE",
        0x0F => "MSS_MSA",
        0x10 => "MSS_NONMSA",
        0x16 => "LPASS",
        0x18 => "WLAN",
        0x1E => "CDSP",
        0x25 => "ADSP_HEAP",
        0x2B => "NAV",
        _ => $"VMID_{Value:X2}",
    };

    public override string ToString() => Name;
}
