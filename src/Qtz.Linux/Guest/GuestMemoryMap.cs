using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Linux.Guest;

/// <summary>
/// Where things sit in the guest: QEMU virt's RAM (2 GiB at 0x4000_0000, the RAM file's offset 0: the
/// SA8775p DSP carveouts, 0x9590_0000..0x9f20_0000 on qtz's board, must lie inside it; the file is
/// sparse, so only touched pages cost), the load addresses the monitor and the loader devices agree on,
/// the mailbox in the first GiB's last page,
/// and the PAS carveout. The monitor (guest/monitor/monitor.S: KERNEL, DTB, MBOX) uses the same values.
/// </summary>
public static class GuestMemoryMap
{
    public static readonly PhysRange Ram = new(new PhysAddr(0x4000_0000), 0x8000_0000);

    /// <summary>QEMU's -m / memory-backend size for <see cref="Ram"/>.</summary>
    public static string QemuRamSize => $"{Ram.Size >> 20}M";
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
