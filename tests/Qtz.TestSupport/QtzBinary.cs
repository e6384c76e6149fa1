namespace Qtz.TestSupport;

/// <summary>
/// Runs the real <c>qtz</c> tool, as built next to the test assembly (the acceptance tests reference
/// Qtz.Cli, so <c>qtz.dll</c> is copied into their output folder).
/// </summary>
public static class QtzBinary
{
    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "qtz.dll");
            if (!File.Exists(path))
                throw new FileNotFoundException($"qtz.dll not found beside the tests at {path}; reference src/Qtz.Cli from this test project");
            return path;
        }
    }

    public static ExternalTool.Result Run(params string[] arguments) => RunWithInput(null, arguments);

    public static ExternalTool.Result RunWithInput(string? stdin, params string[] arguments) =>
        ExternalTool.Run("dotnet", [DllPath, .. arguments], stdin);
}
