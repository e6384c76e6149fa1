namespace Qtz.Linux.Setup;

/// <summary>A Debian package the guest is built from: apt's name (with architecture and version) and the folder it unpacks to.</summary>
public sealed record GuestPackage(string AptName, string FilePrefix, string Folder);

/// <summary>
/// What the guest is made of, from Debian bookworm and bookworm-security: the arm64 kernel 6.12 with
/// its modules, headers and kbuild (for our out-of-tree modules), linux-source (the MTD test modules'
/// sources), busybox-static, mtd-utils and libc6 (mtd-utils' runtime). Versions are pinned so every
/// machine builds the same guest.
/// </summary>
public static class GuestPackages
{
    public const string KernelUpstream = "6.12.118";
    public const string KernelRelease = KernelUpstream + "+deb12-arm64";
    public const string DebianVersion = "6.12.118-1~deb12u1";

    public static readonly GuestPackage Image = new($"linux-image-{KernelRelease}:arm64={DebianVersion}", $"linux-image-{KernelRelease}_", "kimg");
    public static readonly GuestPackage Headers = new($"linux-headers-{KernelRelease}:arm64={DebianVersion}", $"linux-headers-{KernelRelease}_", "hdr");
    public static readonly GuestPackage HeadersCommon = new($"linux-headers-{KernelUpstream}+deb12-common={DebianVersion}", $"linux-headers-{KernelUpstream}+deb12-common_", "hdr");
    public static readonly GuestPackage Kbuild = new($"linux-kbuild-{KernelUpstream}+deb12:amd64={DebianVersion}", $"linux-kbuild-{KernelUpstream}+deb12_", "hdr");
    public static readonly GuestPackage Source = new($"linux-source-6.12={DebianVersion}", "linux-source-6.12_", "lsrc");
    public static readonly GuestPackage Busybox = new("busybox-static:arm64", "busybox-static_", "busybox");
    public static readonly GuestPackage MtdUtils = new("mtd-utils:arm64", "mtd-utils_", "mtd-utils");
    public static readonly GuestPackage Libc = new("libc6:arm64", "libc6_", "libc");

    public static IReadOnlyList<GuestPackage> All { get; } = [Image, Headers, HeadersCommon, Kbuild, Source, Busybox, MtdUtils, Libc];

    /// <summary>Folders of the kernel's module tree unpacked into the initramfs (busybox insmod cannot read .ko.xz).</summary>
    public static IReadOnlyList<string> KernelModuleDirectories { get; } =
        ["drivers/mtd", "drivers/soc/qcom", "drivers/remoteproc", "drivers/rpmsg", "drivers/hwspinlock", "net/qrtr"];

    /// <summary>mtd-utils programs put in the initramfs (they need only libc; busybox-static lacks flashcp, mtd_debug, nandtest).</summary>
    public static IReadOnlyList<string> MtdTools { get; } =
        ["flash_erase", "flashcp", "mtd_debug", "mtdinfo", "nandtest", "nanddump", "nandwrite", "mtdpart", "flash_lock", "flash_unlock", "lsmtd"];

    /// <summary>The one command that makes apt able to fetch all of these.</summary>
    public const string AptPreparation = "sudo dpkg --add-architecture arm64 && sudo apt-get update (with bookworm and bookworm-security in the apt sources)";
}
