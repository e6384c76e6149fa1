using System.Diagnostics;
using System.IO.Compression;
using Qtz.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Qtz.Acceptance.Tests.Cli;

/// <summary>
/// The README's install routes, end to end and offline: the dotnet tool package installs from a local
/// folder and runs; the library packages carry what a NuGet page shows (description, licence, readme);
/// a fresh clone publishes the native binary. Each builds the repository again (minutes), so they are
/// long runs (QTZ_LONG=1), and each builds into its own temporary folder (--artifacts-path), never into
/// the checkout's bin/ and obj/.
/// </summary>
public sealed class InstallRouteTests(ITestOutputHelper output)
{
    private static ExternalTool.Result Dotnet(string workingDirectory, params string[] arguments)
    {
        var run = ExternalTool.Run("dotnet", arguments, workingDirectory: workingDirectory);
        Assert.True(run.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {run.ExitCode}: {run.StdOut}{run.StdErr}");
        return run;
    }

    /// <summary>A NuGet config that knows only <paramref name="source"/>, so installing never asks the network.</summary>
    private static string LocalOnlyConfig(TempDirectory dir, string source)
    {
        var path = dir.File("nuget.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{source}" />
              </packageSources>
            </configuration>
            """);
        return path;
    }

    [LongRunFact]
    public void The_dotnet_tool_package_installs_from_a_local_folder_into_a_tool_path_and_runs()
    {
        using var dir = new TempDirectory();
        var clock = Stopwatch.StartNew();
        Dotnet(TestPaths.RepositoryRoot, "pack", TestPaths.InRepository("src", "Qtz.Cli"), "-c", "Release", "-p:QtzAot=false",
            "-o", dir.File("nupkg"), "--artifacts-path", dir.File("artifacts"));
        var packed = clock.Elapsed;
        var tools = dir.File("tools");
        Dotnet(dir.Path, "tool", "install", "qtz", "--tool-path", tools, "--configfile", LocalOnlyConfig(dir, dir.File("nupkg")));
        var installed = clock.Elapsed - packed;
        var version = ExternalTool.Run(Path.Combine(tools, "qtz"), ["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal(QtzBinary.Run("--version").StdOut, version.StdOut);
        var help = ExternalTool.Run(Path.Combine(tools, "qtz"), ["help", "fw", "verify"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--root-hash", help.StdOut, StringComparison.Ordinal);
        output.WriteLine($"pack {packed.TotalSeconds:0.0} s, tool install {installed.TotalSeconds:0.0} s");
    }

    [LongRunFact]
    public void Library_packages_carry_a_description_the_licence_and_the_readme()
    {
        using var dir = new TempDirectory();
        Dotnet(TestPaths.RepositoryRoot, "pack", TestPaths.InRepository("src", "Qtz.Firmware"), "-c", "Release",
            "-o", dir.File("nupkg"), "--artifacts-path", dir.File("artifacts"));
        var package = Assert.Single(Directory.GetFiles(dir.File("nupkg"), "Qtz.Firmware.*.nupkg"));
        using var zip = ZipFile.OpenRead(package);
        Assert.NotNull(zip.GetEntry("README.md"));
        Assert.NotNull(zip.GetEntry("LICENSE"));
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var text = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        Assert.Contains("<description>Qualcomm firmware image formats", text, StringComparison.Ordinal);
    }

    /// <summary>The clone has what is committed: run it after committing.</summary>
    [LongRunFact]
    public void A_fresh_clone_publishes_the_native_binary_with_the_readmes_install_line()
    {
        Assert.True(ExternalTool.Find("git") is not null, "git is needed to clone the checkout");
        using var dir = new TempDirectory();
        var clone = dir.File("clone");
        var git = ExternalTool.Run("git", ["clone", "--quiet", TestPaths.RepositoryRoot, clone]);
        Assert.True(git.ExitCode == 0, git.StdErr);
        var clock = Stopwatch.StartNew();
        // the README's line, with a temporary folder for ~/.local/bin
        Dotnet(clone, "publish", "src/Qtz.Cli", "-c", "Release", "-o", dir.File("bin"));
        var published = clock.Elapsed;
        Assert.Equal(["qtz"], Directory.GetFiles(dir.File("bin")).Select(Path.GetFileName));
        var version = ExternalTool.Run(dir.File("bin/qtz"), ["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal(QtzBinary.Run("--version").StdOut, version.StdOut);
        output.WriteLine($"fresh-clone publish {published.TotalSeconds:0.0} s");
    }
}
