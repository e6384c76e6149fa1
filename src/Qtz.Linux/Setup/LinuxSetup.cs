using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Qtz.Linux.Guest;
using Qtz.Linux.Run;

namespace Qtz.Linux.Setup;

/// <summary>
/// <c>qtz linux setup</c>: downloads the guest's Debian packages with <c>apt-get download</c> (nothing
/// is installed), unpacks them with <c>dpkg-deb -x</c>, builds the EL3 monitor and every module folder
/// under guest/mod/ that has a Kbuild (against the unpacked headers), unpacks the kernel modules the
/// guest loads, and writes the base initramfs. Each step is skipped when its result is already in the
/// cache and its inputs have not changed, so running it again is cheap. Conventions a module folder
/// may use: a file <c>from-linux-source</c> lists paths in linux-source-6.12 whose files are copied
/// in beside the Kbuild; a file <c>from-seed-patch</c> asks for the posted storage driver, extracted
/// from the seed patch (<see cref="SeedDriver"/>) into qcom_scm_storage.c.
/// </summary>
public sealed class LinuxSetup(LinuxCache cache, Action<string> progress, string? seedPatch = null)
{
    private const string ResourcePrefix = "guest/";

    public LinuxCache Cache { get; } = cache ?? throw new ArgumentNullException(nameof(cache));

    /// <summary>Steps done (not skipped) in the last run.</summary>
    public List<string> Done { get; } = [];

    public void Run()
    {
        HostTools.RequireAll(HostTools.ForSetup);
        Directory.CreateDirectory(Cache.Guest);
        File.Delete(Cache.ReadyStamp);
        Download();
        Unpack();
        var sources = WriteGuestSources();
        CopyKernel();
        BuildMonitor(sources);
        BuildModules(sources);
        UnpackKernelModules();
        GuestInitramfs.WriteBase(Cache, Path.Combine(sources, "init"), Path.Combine(sources, "qtz-insmod"));
        File.WriteAllText(Cache.ReadyStamp, $"kernel {GuestPackages.KernelRelease} ({GuestPackages.DebianVersion})\nsources {SourceHash()}\n");
    }

    private void Step(string what)
    {
        Done.Add(what);
        progress(what);
    }

    private static string? FindDeb(string dir, GuestPackage p) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, p.FilePrefix + "*.deb").Order(StringComparer.Ordinal).LastOrDefault() : null;

    private void Download()
    {
        Directory.CreateDirectory(Cache.Debs);
        var missing = GuestPackages.All.Where(p => FindDeb(Cache.Debs, p) is null).ToList();
        if (missing.Count == 0) return;
        Step($"downloading {string.Join(", ", missing.Select(p => p.AptName))}");
        foreach (var p in missing)
        {
            var outcome = HostProcess.Run(HostTools.Require(HostTools.AptGet), ["download", p.AptName], Cache.Debs);
            if (outcome.ExitCode != 0 || FindDeb(Cache.Debs, p) is null)
                throw new LinuxEnvironmentException($"apt-get download {p.AptName} failed: {outcome.LastLine}; make it available with: {GuestPackages.AptPreparation}");
        }
    }

    private void Unpack()
    {
        foreach (var p in GuestPackages.All)
        {
            var deb = FindDeb(Cache.Debs, p)!;
            var stamp = Path.Combine(Cache.Packages, $".{Path.GetFileName(deb)}.unpacked");
            if (File.Exists(stamp)) continue;
            Step($"unpacking {Path.GetFileName(deb)}");
            Directory.CreateDirectory(Cache.PackageDir(p));
            HostProcess.Check($"dpkg-deb -x {Path.GetFileName(deb)}", HostTools.Require(HostTools.DpkgDeb), ["-x", deb, Cache.PackageDir(p)]);
            File.WriteAllText(stamp, "");
        }

        // The headers were unpacked, not installed: point the arm64 Makefile at the unpacked common tree.
        var common = Path.Combine(Cache.Packages, "hdr", "usr", "src", $"linux-headers-{GuestPackages.KernelUpstream}+deb12-common");
        File.WriteAllText(Path.Combine(Cache.KernelHeaders, "Makefile"), $"include {common}/Makefile\n");
    }

    /// <summary>Writes the guest sources embedded in qtz into build/src; returns that folder.</summary>
    private string WriteGuestSources()
    {
        var dir = Path.Combine(Cache.Build, "src");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var assembly = typeof(LinuxSetup).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(dir, name[ResourcePrefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var input = assembly.GetManifestResourceStream(name)!;
            using var output = File.Create(path);
            input.CopyTo(output);
        }

        return dir;
    }

    /// <summary>A hash of the embedded guest sources (rebuild when they change).</summary>
    public static string SourceHash()
    {
        var assembly = typeof(LinuxSetup).Assembly;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            using var s = assembly.GetManifestResourceStream(name)!;
            using var m = new MemoryStream();
            s.CopyTo(m);
            sha.AppendData(m.ToArray());
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private void CopyKernel()
    {
        var vmlinuz = Path.Combine(Cache.PackageDir(GuestPackages.Image), "boot", $"vmlinuz-{GuestPackages.KernelRelease}");
        if (!File.Exists(vmlinuz)) throw new LinuxEnvironmentException($"{vmlinuz} is missing from the unpacked linux-image package; delete {Cache.Root} and run qtz linux setup again");
        if (File.Exists(Cache.KernelImage) && new FileInfo(Cache.KernelImage).Length == new FileInfo(vmlinuz).Length) return;
        Step("kernel Image");
        // Debian's arm64 vmlinuz is a raw Image: loaded as is at the kernel address.
        File.Copy(vmlinuz, Cache.KernelImage, overwrite: true);
    }

    private void BuildMonitor(string sources)
    {
        var stamp = Path.Combine(Cache.Guest, ".monitor-" + FileHash(Path.Combine(sources, "monitor", "monitor.S")));
        if (File.Exists(stamp) && File.Exists(Cache.Monitor(1)) && File.Exists(Cache.Monitor(2))) return;
        Step("EL3 monitor");
        HostProcess.Check("building the EL3 monitor", HostTools.Require(HostTools.Make),
            ["-C", Path.Combine(sources, "monitor"), $"OUT={Cache.Guest}"], log: Path.Combine(Cache.Build, "monitor.log"));
        File.WriteAllText(stamp, "");
    }

    private void BuildModules(string sources)
    {
        var modRoot = Path.Combine(sources, "mod");
        var folders = Directory.Exists(modRoot)
            ? Directory.EnumerateDirectories(modRoot).Where(d => File.Exists(Path.Combine(d, "Kbuild"))).Order(StringComparer.Ordinal).ToList()
            : [];
        var patch = seedPatch ?? SeedDriver.DefaultPatchPath();
        var stamp = Path.Combine(Cache.Guest, ".modules-" + SourceHash() + "-" + (patch is null ? "noseed" : FileHash(patch)));
        if (File.Exists(stamp)) return;
        if (Directory.Exists(Cache.Modules))
            foreach (var old in Directory.EnumerateFiles(Cache.Modules, "*.ko")) File.Delete(old);
        Directory.CreateDirectory(Cache.Modules);
        var linuxSource = new LinuxSourceFiles(Cache, progress);
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            Step($"module folder {name}");
            var build = Path.Combine(Cache.Build, "mod", name);
            if (Directory.Exists(build)) Directory.Delete(build, recursive: true);
            CopyDirectory(folder, build);
            if (File.Exists(Path.Combine(folder, "from-linux-source")))
                linuxSource.CopyInto(File.ReadAllLines(Path.Combine(folder, "from-linux-source")), build);
            if (File.ReadAllText(Path.Combine(folder, "Kbuild")).Contains(StorageApiHeader.FileName, StringComparison.Ordinal))
                File.WriteAllText(Path.Combine(build, StorageApiHeader.FileName), StorageApiHeader.Text());
            if (File.Exists(Path.Combine(folder, "from-seed-patch")))
            {
                if (patch is not null)
                {
                    File.WriteAllText(Path.Combine(build, SeedDriver.ModuleName + ".c"), SeedDriver.Extract(File.ReadAllText(patch), patch));
                }
                else
                {
                    // The seed is test data outside the repository: without it everything else still builds.
                    progress($"warning: scm-storage-v2.patch.txt not found (pass --seed-patch FILE or set QTZ_SEED_PATCH): {SeedDriver.ModuleName}.ko is not built and the storage suite cannot run");
                    var kbuild = Path.Combine(build, "Kbuild");
                    File.WriteAllText(kbuild, File.ReadAllText(kbuild).Replace($" {SeedDriver.ModuleName}.o", "", StringComparison.Ordinal));
                }
            }

            // CONFIG_DEBUG_INFO_BTF_MODULES= : Debian's config would run pahole to add BTF to modules; not needed here.
            HostProcess.Check($"building guest/mod/{name}", HostTools.Require(HostTools.Make),
                ["-C", Cache.KernelHeaders, $"M={build}", "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "CONFIG_DEBUG_INFO_BTF_MODULES=", "modules"],
                log: Path.Combine(Cache.Build, $"mod-{name}.log"));
            foreach (var ko in Directory.EnumerateFiles(build, "*.ko"))
                File.Copy(ko, Path.Combine(Cache.Modules, Path.GetFileName(ko)), overwrite: true);
        }

        File.WriteAllText(stamp, "");
    }

    private void UnpackKernelModules()
    {
        var stamp = Path.Combine(Cache.Guest, ".kernel-modules-" + Hash(string.Join('\n', GuestPackages.KernelModuleDirectories)));
        if (File.Exists(stamp)) return;
        Step("unpacking kernel modules");
        if (Directory.Exists(Cache.KernelModules)) Directory.Delete(Cache.KernelModules, recursive: true);
        Directory.CreateDirectory(Cache.KernelModules);
        var tree = Path.Combine(Cache.PackageDir(GuestPackages.Image), "lib", "modules", GuestPackages.KernelRelease, "kernel");
        var copied = new List<string>();
        foreach (var dir in GuestPackages.KernelModuleDirectories.Select(d => Path.Combine(tree, d)).Where(Directory.Exists))
        {
            foreach (var xz in Directory.EnumerateFiles(dir, "*.ko.xz", SearchOption.AllDirectories))
            {
                var target = Path.Combine(Cache.KernelModules, Path.GetFileName(xz));
                File.Copy(xz, target, overwrite: true);
                copied.Add(target);
            }
        }

        if (copied.Count > 0)
            HostProcess.Check("xz -d (kernel modules)", HostTools.Require(HostTools.Xz), ["-d", "-f", .. copied]);
        File.WriteAllText(stamp, "");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.EnumerateDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }

    private static string FileHash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16];

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
