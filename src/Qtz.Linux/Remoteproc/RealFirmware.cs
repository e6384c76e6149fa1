using Qtz.Linux.Setup;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// The real SA8775p DSP images the PAS and remoteproc suites feed the guest: a linux-firmware-like tree
/// with <c>qcom/sa8775p/{adsp,cdsp0,cdsp1,gpdsp0,gpdsp1}.mbn</c>. They are Qualcomm's, never part of
/// qtz: read where they are (QTZ_TESTDATA/firmware, or ../shared/testdata/firmware beside the
/// working directory or the binary) and copied into the run's own archive only.
/// </summary>
public static class RealFirmware
{
    public const string SocFolder = "qcom/sa8775p";

    /// <summary>The first of --firmware, $QTZ_TESTDATA/firmware, ../shared/testdata/firmware (from the cwd, then from the binary up) that holds every wanted image; null if none.</summary>
    public static string? Find(string? given, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.ToArray();
        foreach (var root in Candidates(given))
        {
            if (wanted.All(n => File.Exists(Path.Combine(root, n)))) return Path.GetFullPath(root);
        }

        return null;
    }

    /// <summary><see cref="Find"/> or a one-line <see cref="LinuxEnvironmentException"/> saying where it looked and how to point it elsewhere.</summary>
    public static string Require(IEnumerable<string> names)
    {
        var wanted = names.ToArray();
        return Find(null, wanted) ?? throw new LinuxEnvironmentException(
            $"the real SA8775p firmware ({string.Join(", ", wanted.Select(Path.GetFileName))} under {SocFolder}) was not found: set QTZ_TESTDATA to a folder with firmware/{SocFolder}/ (e.g. ../shared/testdata)");
    }

    private static IEnumerable<string> Candidates(string? given)
    {
        if (given is not null)
        {
            yield return given;
            yield break;
        }

        if (Environment.GetEnvironmentVariable("QTZ_TESTDATA") is { Length: > 0 } data) yield return Path.Combine(data, "firmware");
        yield return Path.Combine("..", "shared", "testdata", "firmware");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "..", "shared", "testdata", "firmware");
    }
}
