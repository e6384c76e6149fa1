namespace Qtz.Linux.Remoteproc;

/// <summary>The guest scripts of the PAS and remoteproc suites (guest/scripts/, embedded in this assembly).</summary>
public static class GuestScripts
{
    public static string Read(string name)
    {
        using var stream = typeof(GuestScripts).Assembly.GetManifestResourceStream("guest/scripts/" + name)
            ?? throw new InvalidOperationException($"the embedded guest script guest/scripts/{name} is missing from Qtz.Linux");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
