using Qtz.Linux.Run;

namespace Qtz.Linux.Setup;

/// <summary>
/// Where <c>qtz linux setup</c> keeps what it downloads and builds: <c>$QTZ_LINUX_CACHE</c>, else
/// <c>$XDG_CACHE_HOME/qtz/linux</c>, else <c>~/.cache/qtz/linux</c>. <c>guest/</c> holds what a run
/// uses (kernel Image, monitors, modules, base initramfs); the rest is download and build state.
/// </summary>
public sealed class LinuxCache
{
    public LinuxCache(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public static LinuxCache Default()
    {
        if (Environment.GetEnvironmentVariable("QTZ_LINUX_CACHE") is { Length: > 0 } explicitRoot) return new LinuxCache(explicitRoot);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new LinuxCache(Path.Combine(baseDir, "qtz", "linux"));
    }

    public string Root { get; }

    public string Debs => Path.Combine(Root, "debs");

    public string Packages => Path.Combine(Root, "pkg");

    public string Build => Path.Combine(Root, "build");

    public string Guest => Path.Combine(Root, "guest");

    public string KernelImage => Path.Combine(Guest, "Image");

    public string BaseInitramfs => Path.Combine(Guest, "initramfs.cpio");

    /// <summary>Our out-of-tree modules and the seed driver, flat.</summary>
    public string Modules => Path.Combine(Guest, "modules");

    /// <summary>Debian's modules, unpacked, flat.</summary>
    public string KernelModules => Path.Combine(Guest, "modules", "kernel");

    public string ReadyStamp => Path.Combine(Guest, "ready");

    /// <summary>Whether a complete setup is in the cache (the ready stamp is written last).</summary>
    public bool IsReady => File.Exists(ReadyStamp) && File.Exists(KernelImage) && File.Exists(BaseInitramfs);

    /// <summary>Whether setup built the seed storage driver (it needs the patch, which is test data outside the repository).</summary>
    public bool HasSeedDriver => File.Exists(Path.Combine(Modules, SeedDriver.ModuleName + ".ko"));

    /// <summary>Throws the one-line error naming what to do when the seed driver was not built.</summary>
    public void RequireSeedDriver()
    {
        RequireReady();
        if (!HasSeedDriver)
            throw new LinuxEnvironmentException($"the seed storage driver was not built (scm-storage-v2.patch.txt was not found at setup); run: qtz linux setup --seed-patch FILE");
    }

    public string Monitor(int entryEl) => Path.Combine(Guest, $"monitor-el{entryEl}.bin");

    public string PackageDir(GuestPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return Path.Combine(Packages, package.Folder);
    }

    public string KernelHeaders => Path.Combine(Packages, "hdr", "usr", "src", $"linux-headers-{GuestPackages.KernelRelease}");

    /// <summary>Throws the one-line "run setup" error when the cache is incomplete.</summary>
    public void RequireReady()
    {
        if (!IsReady)
            throw new LinuxEnvironmentException($"the Linux guest is not set up in {Root}; run: qtz linux setup");
    }
}
