using Xunit;

namespace Qtz.TestSupport;

/// <summary>A fact that skips, saying why, when the real firmware test data is absent.</summary>
public sealed class RequiresFirmwareFactAttribute : FactAttribute
{
    public RequiresFirmwareFactAttribute()
    {
        if (!Directory.Exists(TestPaths.FirmwareDirectory))
            Skip = $"real firmware test data not found at {TestPaths.FirmwareDirectory} (set QTZ_TESTDATA or place shared/testdata beside the checkout)";
    }
}

/// <summary>A theory that skips, saying why, when the real firmware test data is absent.</summary>
public sealed class RequiresFirmwareTheoryAttribute : TheoryAttribute
{
    public RequiresFirmwareTheoryAttribute()
    {
        if (!Directory.Exists(TestPaths.FirmwareDirectory))
            Skip = $"real firmware test data not found at {TestPaths.FirmwareDirectory}";
    }
}

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

/// <summary>A fact that skips, saying why, when a peer tool (dtc, readelf, openssl …) is not installed.</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool)
    {
        if (ExternalTool.Find(tool) is null)
            Skip = $"'{tool}' is not installed (.ci/run installs it); this comparison with it is skipped";
    }
}

/// <summary>A theory that skips when a peer tool is not installed.</summary>
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(string tool)
    {
        if (ExternalTool.Find(tool) is null)
            Skip = $"'{tool}' is not installed (.ci/run installs it); this comparison with it is skipped";
    }
}

/// <summary>A fact that runs only when QTZ_LONG=1: long fuzz and soak runs are opt-in.</summary>
public sealed class LongRunFactAttribute : FactAttribute
{
    public LongRunFactAttribute()
    {
        if (!LongRuns.Enabled)
            Skip = "long run: set QTZ_LONG=1 to run it";
    }
}

public static class LongRuns
{
    public static bool Enabled => Environment.GetEnvironmentVariable("QTZ_LONG") == "1";

    /// <summary>The normal count, or the long count when QTZ_LONG=1.</summary>
    public static int Iterations(int normal, int longRun) => Enabled ? longRun : normal;
}
