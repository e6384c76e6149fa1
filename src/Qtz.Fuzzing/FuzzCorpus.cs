namespace Qtz.Fuzzing;

/// <summary>
/// Finds real seed files: in the context's corpus directories, or else in the places a checkout keeps
/// them (<c>tests/data</c> and <c>../shared/testdata</c>, looked for from the working directory upwards).
/// Missing directories simply contribute nothing.
/// </summary>
public static class FuzzCorpus
{
    public static IEnumerable<FileInfo> Files(FuzzTargetContext context, string kind, string extension)
    {
        ArgumentNullException.ThrowIfNull(context);
        var roots = context.CorpusDirectories.Count > 0 ? context.CorpusDirectories : DefaultRoots(kind);
        return roots.Where(Directory.Exists)
            .SelectMany(r => new DirectoryInfo(r).EnumerateFiles("*" + extension, SearchOption.AllDirectories))
            .OrderBy(f => f.FullName, StringComparer.Ordinal);
    }

    private static string[] DefaultRoots(string kind)
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var testData = Path.Combine(dir.FullName, "tests", "data", kind);
            var shared = Path.Combine(dir.FullName, "..", "shared", "testdata", kind);
            if (Directory.Exists(testData) || Directory.Exists(shared))
                return new[] { testData, shared }.Where(Directory.Exists).ToArray();
        }

        return [];
    }
}
