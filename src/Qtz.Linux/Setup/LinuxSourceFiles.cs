namespace Qtz.Linux.Setup;

/// <summary>
/// Files from the linux-source-6.12 package's tarball (the MTD test modules, which Debian does not
/// ship built): extracted once into build/lsrc — xz must read the whole 140 MiB tarball — then copied
/// into the module folders that list them.
/// </summary>
internal sealed class LinuxSourceFiles(LinuxCache cache, Action<string> progress)
{
    private const string TopDir = "linux-source-6.12";

    private string Root => Path.Combine(cache.Build, "lsrc");

    public void CopyInto(IEnumerable<string> paths, string destination)
    {
        var wanted = paths.Select(p => p.Trim()).Where(p => p.Length > 0 && !p.StartsWith('#')).ToList();
        var absent = wanted.Where(p => !File.Exists(Path.Combine(Root, p))).ToList();
        if (absent.Count > 0) Extract(absent);
        foreach (var p in wanted)
        {
            var file = Path.Combine(Root, p);
            if (!File.Exists(file)) throw new LinuxEnvironmentException($"{p} is not in linux-source-6.12 ({GuestPackages.DebianVersion})");
            File.Copy(file, Path.Combine(destination, Path.GetFileName(p)), overwrite: true);
        }
    }

    private void Extract(List<string> paths)
    {
        progress($"extracting {paths.Count} file(s) from linux-source-6.12");
        var tarball = Directory.EnumerateFiles(Path.Combine(cache.PackageDir(GuestPackages.Source), "usr", "src"), "linux-source-6.12.tar.xz").FirstOrDefault()
            ?? throw new LinuxEnvironmentException("linux-source-6.12.tar.xz is missing from the unpacked linux-source-6.12 package; delete the cache and run qtz linux setup again");
        Directory.CreateDirectory(Root);
        HostProcess.Check("tar -xJf linux-source-6.12.tar.xz", HostTools.Require(HostTools.Tar),
            ["-xJf", tarball, "-C", Root, "--strip-components=1", .. paths.Select(p => $"{TopDir}/{p}")]);
    }
}
