namespace Qtz.Linux.Setup;

/// <summary>A host program qtz runs for the Linux guest, and the Debian package that provides it.</summary>
public sealed record HostTool(string Command, string Package);

/// <summary>Finding the host programs `qtz linux` needs, and saying exactly how to install what is missing.</summary>
public static class HostTools
{
    public static readonly HostTool Qemu = new("qemu-system-aarch64", "qemu-system-arm");
    public static readonly HostTool AptGet = new("apt-get", "apt");
    public static readonly HostTool DpkgDeb = new("dpkg-deb", "dpkg");
    public static readonly HostTool Make = new("make", "make");
    public static readonly HostTool CrossGcc = new("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
    public static readonly HostTool HostGcc = new("gcc", "gcc");
    public static readonly HostTool Xz = new("xz", "xz-utils");
    public static readonly HostTool Tar = new("tar", "tar");
    public static readonly HostTool Bc = new("bc", "bc");

    /// <summary>What <c>qtz linux setup</c> runs.</summary>
    public static IReadOnlyList<HostTool> ForSetup { get; } = [AptGet, DpkgDeb, Make, CrossGcc, HostGcc, Xz, Tar, Bc];

    /// <summary>The full path of <paramref name="command"/> on PATH, or null.</summary>
    public static string? Find(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <summary>The tool's path; throws naming the package and the install command when it is absent.</summary>
    public static string Require(HostTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return Find(tool.Command) ?? throw new LinuxEnvironmentException(
            $"'{tool.Command}' is not installed; install it with: sudo apt-get install {tool.Package}");
    }

    /// <summary>Checks them all at once, so the user installs everything missing with one command.</summary>
    public static void RequireAll(IEnumerable<HostTool> tools)
    {
        var missing = tools.Where(t => Find(t.Command) is null).ToList();
        if (missing.Count == 0) return;
        throw new LinuxEnvironmentException(
            $"missing {string.Join(", ", missing.Select(t => $"'{t.Command}'"))}; install with: sudo apt-get install {string.Join(' ', missing.Select(t => t.Package).Distinct())}");
    }
}
