namespace Qtz.Linux.Suites;

/// <summary>The guest-side scripts of the suites (guest/tests/*.sh, embedded in this assembly).</summary>
public static class GuestScripts
{
    public static string Load(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var stream = typeof(GuestScripts).Assembly.GetManifestResourceStream($"guest/tests/{name}")
            ?? throw new InvalidOperationException($"guest/tests/{name} is not embedded in {typeof(GuestScripts).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>"qtz-check: NAME ok|FAIL why" lines → checks; "qtz-figure: NAME VALUE" → figures.</summary>
    public static void Collect(IEnumerable<string> console, LinuxSuiteReport report, string prefix)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        foreach (var line in console)
        {
            if (line.StartsWith("qtz-check: ", StringComparison.Ordinal))
            {
                var parts = line["qtz-check: ".Length..].Split(' ', 3);
                report.Check(prefix + parts[0], parts.Length > 1 && parts[1] == "ok", parts.Length > 2 ? parts[2] : "");
            }
            else if (line.StartsWith("qtz-figure: ", StringComparison.Ordinal))
            {
                var parts = line["qtz-figure: ".Length..].Split(' ', 2);
                if (parts.Length == 2 && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                    report.Figures[prefix + parts[0]] = v;
            }
        }
    }
}
