using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Platform.Tests.Socs;

internal static class SocTestData
{
    public static string Dtb(string name) => Path.Combine(TestPaths.SharedDtbDirectory, name);

    public static NamedBlob Blob(string name) => new(name, File.ReadAllBytes(Dtb(name)));

    public static string PasTableCsv => Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "docs", "spec", "pas-table.csv");
}
