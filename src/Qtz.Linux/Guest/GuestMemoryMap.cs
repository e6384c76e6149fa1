using Qtz.Soc;

namespace Qtz.Linux;

/// <summary>
/// Where things sit in the guest: QEMU virt's RAM (1 GiB at 0x4000_0000, the RAM file's offset 0),
/// the load addresses the monitor and the loader devices agree on, the mailbox in RAM's last page,
/// and the PAS carveout. The monitor (guest/monitor/monitor.S: KERNEL, DTB, MBOX) uses the same values.
/// </summary>
public static class GuestMemoryMap
{
    public static readonly PhysRange Ram = new(new PhysAddr(0x4000_0000), 0x4000_0000);
    public static readonly PhysAddr Kernel = new(0x4020_0000);
    public static readonly PhysAddr Dtb = new(0x4400_0000);
    public static readonly PhysAddr Initrd = new(0x4410_0000);

    /// <summary>The mailbox page, reserved (no-map) in the guest DT.</summary>
    public static readonly PhysRange Mailbox = new(new PhysAddr(0x7fff_f000), 0x1000);

    /// <summary>A no-map carveout for remote processor firmware (PAS), reserved in the guest DT.</summary>
    public static readonly PhysRange FirmwareCarveout = new(new PhysAddr(0x7000_0000), 0x0100_0000);

    /// <summary>Room the kernel Image may take before the DTB (Debian's arm64 Image is ~35 MiB).</summary>
    public const ulong MaxKernelBytes = 0x4400_0000 - 0x4020_0000;

    /// <summary>Room for the DTB before the initrd.</summary>
    public const ulong MaxDtbBytes = 0x10_0000;

    /// <summary>The mailbox's offset in the RAM file.</summary>
    public static ulong MailboxFileOffset => Mailbox.Base - Ram.Base;
}
