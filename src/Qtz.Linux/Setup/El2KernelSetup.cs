namespace Qtz.Linux.Setup;

/// <summary>
/// <c>qtz linux setup --el2-kernel</c> (opt-in): Debian sid's arm64 kernel 7.2, which has the merged EL2
/// PAS path (GET_RSCTABLE, carveouts mapped in the DSP's own IOMMU domain), into <c>el2/</c> of the cache.
/// The machine's apt lists bookworm only, so sid goes into a private apt configuration (its own sources
/// list, lists and cache, as CI does for the firmware corpus); nothing is installed. Then: the Image, the
/// remoteproc modules the guest loads (unpacked from .ko.xz: busybox insmod reads no xz), and our shim
/// (guest/mod/rproc/qtz_rproc_shim.c) built against the 7.2 headers. Two things differ from the 6.12
/// build, both because sid is newer than this machine: sid's kbuild tools need glibc 2.38, so modpost
/// is the 6.12 kbuild's (the 7.2 config has no MODVERSIONS, so modpost only links symbols and writes
/// .mod.c; fixdep from sid runs as it is); sid's kernel was built by gcc 16, so the module is built by
/// the machine's aarch64-linux-gnu-gcc 12 with gcc 16's -fmin-function-alignment turned off (gcc 12
/// warns that it ignores counted_by; the kernel's vermagic has no compiler in it).
/// </summary>
public sealed class El2KernelSetup(LinuxCache cache, Action<string> progress)
{
    public const string KernelRelease = "7.2.13+deb14-arm64";
    public const string DebianVersion = "7.2.13-1";
    private const string Upstream = "7.2.13+deb14";
    public const string AptSource = "deb [arch=arm64,amd64] http://deb.debian.org/debian sid main";

    /// <summary>What the guest loads for qcom_q6v5_pas on 7.2, in dependency order (rpmsg, smem and glink are built in).</summary>
    public static IReadOnlyList<string> RemoteprocModules { get; } =
        ["qmi_helpers", "qrtr", "qcom_smd", "qcom_sysmon", "qcom_q6v5", "qcom_common", "qcom_pil_info", "mdt_loader", "qtz_rproc_shim", "qcom_q6v5_pas"];

    private static readonly string[] Packages =
    [
        $"linux-binary-{KernelRelease}:arm64={DebianVersion}", $"linux-modules-{KernelRelease}:arm64={DebianVersion}",
        $"linux-headers-{KernelRelease}:arm64={DebianVersion}", $"linux-headers-{Upstream}-common={DebianVersion}",
        $"linux-kbuild-{Upstream}:amd64={DebianVersion}",
    ];

    public string Root => Path.Combine(cache.Root, "el2");

    public string Image => Path.Combine(Root, "Image");

    public string Modules => Path.Combine(Root, "modules");

    public string ReadyStamp => Path.Combine(Root, "ready");

    public bool IsReady => File.Exists(ReadyStamp) && File.Exists(Image);

    /// <summary>Throws the one-line "run setup" error when the 7.2 kernel is not in the cache.</summary>
    public void RequireReady()
    {
        cache.RequireReady();
        if (!IsReady) throw new LinuxEnvironmentException($"Debian sid's 7.2 kernel is not set up in {Root}; run: qtz linux setup --el2-kernel");
    }

    public void Run(string shimSource)
    {
        ArgumentException.ThrowIfNullOrEmpty(shimSource);
        cache.RequireReady();
        if (IsReady) return;
        var debs = Path.Combine(Root, "debs");
        var pkg = Path.Combine(Root, "pkg");
        Directory.CreateDirectory(debs);
        var apt = AptOptions();
        if (Directory.GetFiles(debs, "*.deb").Length < Packages.Length)
        {
            progress("el2 kernel: apt-get update (Debian sid, private lists)");
            HostProcess.Check("apt-get update (sid)", HostTools.Require(HostTools.AptGet), [.. apt, "update"]);
            progress($"el2 kernel: downloading {string.Join(", ", Packages)}");
            var outcome = HostProcess.Run(HostTools.Require(HostTools.AptGet), [.. apt, "download", .. Packages], debs);
            if (outcome.ExitCode != 0)
                throw new LinuxEnvironmentException($"apt-get download from Debian sid failed: {outcome.LastLine}; check that deb.debian.org is reachable");
        }

        progress("el2 kernel: unpacking");
        foreach (var deb in Directory.GetFiles(debs, "*.deb").Order(StringComparer.Ordinal))
            HostProcess.Check($"dpkg-deb -x {Path.GetFileName(deb)}", HostTools.Require(HostTools.DpkgDeb), ["-x", deb, pkg]);

        var headers = Path.Combine(pkg, "usr", "src", $"linux-headers-{KernelRelease}");
        File.WriteAllText(Path.Combine(headers, "Makefile"),
            $"KBUILD_OUTPUT={headers}\ninclude {Path.Combine(pkg, "usr", "src", $"linux-headers-{Upstream}-common")}/Makefile\n");
        var modpost = Path.Combine(pkg, "usr", "lib", $"linux-kbuild-{Upstream}", "scripts", "mod", "modpost");
        var ours = Path.Combine(cache.Packages, "hdr", "usr", "src", $"linux-kbuild-{GuestPackages.KernelUpstream}+deb12", "scripts", "mod", "modpost.real-lsb-64");
        File.Copy(ours, modpost, overwrite: true);

        progress("el2 kernel: building qtz_rproc_shim against the 7.2 headers");
        var build = Path.Combine(Root, "build");
        if (Directory.Exists(build)) Directory.Delete(build, recursive: true);
        Directory.CreateDirectory(build);
        File.WriteAllText(Path.Combine(build, "qtz_rproc_shim.c"), shimSource);
        File.WriteAllText(Path.Combine(build, "Kbuild"), "obj-m := qtz_rproc_shim.o\n");
        HostProcess.Check("building qtz_rproc_shim for 7.2", HostTools.Require(HostTools.Make),
            ["-C", headers, $"M={build}", "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "CC=aarch64-linux-gnu-gcc",
             "CONFIG_DEBUG_INFO_BTF_MODULES=", "CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=", "modules"],
            log: Path.Combine(Root, "shim.log"));

        if (Directory.Exists(Modules)) Directory.Delete(Modules, recursive: true);
        Directory.CreateDirectory(Modules);
        File.Copy(Path.Combine(build, "qtz_rproc_shim.ko"), Path.Combine(Modules, "qtz_rproc_shim.ko"));
        var tree = Path.Combine(pkg, "usr", "lib", "modules", KernelRelease, "kernel");
        var copied = new List<string>();
        foreach (var xz in Directory.EnumerateFiles(tree, "*.ko.xz", SearchOption.AllDirectories)
                     .Where(f => RemoteprocModules.Contains(Path.GetFileName(f)[..^".ko.xz".Length], StringComparer.Ordinal)))
        {
            var target = Path.Combine(Modules, Path.GetFileName(xz));
            File.Copy(xz, target, overwrite: true);
            copied.Add(target);
        }

        HostProcess.Check("xz -d (7.2 modules)", HostTools.Require(HostTools.Xz), ["-d", "-f", .. copied]);
        File.Copy(Path.Combine(pkg, "usr", "lib", "modules", KernelRelease, "vmlinuz"), Image, overwrite: true);
        File.WriteAllText(ReadyStamp, $"kernel {KernelRelease} ({DebianVersion})\n");
    }

    private string[] AptOptions()
    {
        var apt = Path.Combine(Root, "apt");
        Directory.CreateDirectory(Path.Combine(apt, "lists", "partial"));
        Directory.CreateDirectory(Path.Combine(apt, "cache", "archives", "partial"));
        File.WriteAllText(Path.Combine(apt, "sources.list"), AptSource + "\n");
        return
        [
            "-o", $"Dir::Etc::SourceList={Path.Combine(apt, "sources.list")}", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", $"Dir::State::Lists={Path.Combine(apt, "lists")}", "-o", $"Dir::Cache={Path.Combine(apt, "cache")}",
            "-o", "Debug::NoLocking=1", "-o", "APT::Architectures::=arm64", "-o", "APT::Architectures::=amd64", "-q",
        ];
    }
}
