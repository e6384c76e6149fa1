using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Platform.Tests.Socs;

/// <summary>A fact that skips, saying why, when the shared real DTBs are absent.</summary>
public sealed class RequiresDtbsFactAttribute : FactAttribute
{
    public RequiresDtbsFactAttribute()
    {
        if (!Directory.Exists(TestPaths.SharedDtbDirectory))
            Skip = $"real DTBs not found at {TestPaths.SharedDtbDirectory} (set QTZ_TESTDATA or place shared/testdata beside the checkout)";
    }
}

/// <summary>A theory that skips, saying why, when the shared real DTBs are absent.</summary>
public sealed class RequiresDtbsTheoryAttribute : TheoryAttribute
{
    public RequiresDtbsTheoryAttribute()
    {
        if (!Directory.Exists(TestPaths.SharedDtbDirectory))
            Skip = $"real DTBs not found at {TestPaths.SharedDtbDirectory} (set QTZ_TESTDATA or place shared/testdata beside the checkout)";
    }
}

internal static class SocTestData
{
    public static string Dtb(string name) => Path.Combine(TestPaths.SharedDtbDirectory, name);

    public static NamedBlob Blob(string name) => new(name, File.ReadAllBytes(Dtb(name)));

    public static string PasTableCsv => Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "docs", "spec", "pas-table.csv");
}
