using Qtz.Linux.Setup;

namespace Qtz.Linux.Guest;

/// <summary>
/// The guest's initramfs in two newc archives the kernel unpacks one after the other: the base one
/// (<c>qtz linux setup</c>: busybox, mtd-utils with libc, our init, the modules) and a small one per
/// run (the script, extra modules, firmware) which may replace files of the first.
/// Layout: /lib/modules/qtz/*.ko (ours, the seed driver, the MTD tests), /lib/modules/qtz/kernel/*.ko
/// (Debian's, unpacked), /qtz/script (the run's script), /lib/firmware (--firmware).
/// </summary>
public static class GuestInitramfs
{
    public const string ScriptPath = "qtz/script";
    public const string ModulesPath = "lib/modules/qtz";
    public const string FirmwarePath = "lib/firmware";

    public static void WriteBase(LinuxCache cache, string init, string insmodHelper)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var temp = cache.BaseInitramfs + ".tmp";
        using (var file = File.Create(temp))
        using (var cpio = new CpioWriter(file))
        {
            foreach (var d in new[] { "bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "tmp", "mnt", "root", "qtz", FirmwarePath, ModulesPath + "/kernel" })
                cpio.AddDirectory(d);
            cpio.AddCharDevice("dev/console", 5, 1);
            cpio.AddCharDevice("dev/null", 1, 3, 0x1B6);
            cpio.AddFile("init", File.ReadAllBytes(init), 0x1ED);
            cpio.AddFile("bin/qtz-insmod", File.ReadAllBytes(insmodHelper), 0x1ED);
            cpio.AddFile("bin/busybox", File.ReadAllBytes(Path.Combine(cache.PackageDir(GuestPackages.Busybox), "bin", "busybox")), 0x1ED);
            cpio.AddSymlink("bin/sh", "busybox");
            var sbin = Path.Combine(cache.PackageDir(GuestPackages.MtdUtils), "usr", "sbin");
            foreach (var tool in GuestPackages.MtdTools.Where(t => File.Exists(Path.Combine(sbin, t))))
                cpio.AddFile("usr/sbin/" + tool, File.ReadAllBytes(Path.Combine(sbin, tool)), 0x1ED);
            var libc = Path.Combine(cache.PackageDir(GuestPackages.Libc), "lib", "aarch64-linux-gnu");
            cpio.AddFile("lib/aarch64-linux-gnu/libc.so.6", File.ReadAllBytes(Path.Combine(libc, "libc.so.6")), 0x1ED);
            cpio.AddFile("lib/ld-linux-aarch64.so.1", File.ReadAllBytes(Path.Combine(libc, "ld-linux-aarch64.so.1")), 0x1ED);
            foreach (var ko in Directory.EnumerateFiles(cache.Modules, "*.ko").Order(StringComparer.Ordinal))
                cpio.AddFile($"{ModulesPath}/{Path.GetFileName(ko)}", File.ReadAllBytes(ko));
            foreach (var ko in Directory.EnumerateFiles(cache.KernelModules, "*.ko").Order(StringComparer.Ordinal))
                cpio.AddFile($"{ModulesPath}/kernel/{Path.GetFileName(ko)}", File.ReadAllBytes(ko));
        }

        File.Move(temp, cache.BaseInitramfs, overwrite: true);
    }

    /// <summary>The per-run archive: the script, extra modules (<c>--modules</c>) and firmware files (<c>--firmware</c>).</summary>
    public static byte[] RunArchive(string script, string? modulesDir, string? firmwareDir, IEnumerable<(string Path, byte[] Contents)>? extraFiles = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        using var memory = new MemoryStream();
        using (var cpio = new CpioWriter(memory))
        {
            cpio.AddFile(ScriptPath, System.Text.Encoding.UTF8.GetBytes(script), 0x1ED);
            if (modulesDir is not null)
                foreach (var ko in Directory.EnumerateFiles(modulesDir, "*.ko", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    cpio.AddFile($"{ModulesPath}/{Path.GetFileName(ko)}", File.ReadAllBytes(ko));
            if (firmwareDir is not null)
                foreach (var f in Directory.EnumerateFiles(firmwareDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    cpio.AddFile($"{FirmwarePath}/{Path.GetRelativePath(firmwareDir, f).Replace('\\', '/')}", File.ReadAllBytes(f));
            foreach (var (path, contents) in extraFiles ?? [])
                cpio.AddFile(path, contents);
        }

        return memory.ToArray();
    }
}
