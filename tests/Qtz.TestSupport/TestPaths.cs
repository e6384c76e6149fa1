namespace Qtz.TestSupport;

/// <summary>
/// Where tests find the repository and the shared test data. The real firmware is never committed
/// (licence): it lives in <c>../shared/testdata</c> beside the checkout and may be absent on a user's
/// fresh clone, so tests that need it use <see cref="RequiresFirmwareFactAttribute"/> and skip.
/// </summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The checkout's top folder (the one holding <c>Qtz.slnx</c>).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary><c>../shared/testdata</c> next to the checkout; QTZ_TESTDATA overrides it.</summary>
    public static string SharedTestData =>
        Environment.GetEnvironmentVariable("QTZ_TESTDATA") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata"));

    public static string FirmwareDirectory => Path.Combine(SharedTestData, "firmware");

    public static string SharedDtbDirectory => Path.Combine(SharedTestData, "dtb", "qcom");

    /// <summary>DTBs copied into the project (BSD/GPL, allowed): always present.</summary>
    public static string ProjectDtbDirectory => Path.Combine(RepositoryRoot, "tests", "data", "dtb");

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    public static string FirmwareFile(params string[] parts) => Path.Combine([FirmwareDirectory, .. parts]);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Qtz.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Qtz.slnx above {AppContext.BaseDirectory}: tests must run inside the checkout");
    }
}
