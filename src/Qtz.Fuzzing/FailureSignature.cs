using System.Diagnostics;

namespace Qtz.Fuzzing;

/// <summary>
/// Groups failures by cause: the exception type plus the top frames that belong to qtz (the runtime's
/// own frames say where it noticed, not which of our lines was wrong). Invariant failures group by the
/// invariant's name.
/// </summary>
public static class FailureSignature
{
    private const int Frames = 3;

    public static string Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is FuzzInvariantException invariant)
            return $"invariant {invariant.Invariant}";
        var ours = OurFrames(error).Take(Frames).ToArray();
        return ours.Length == 0 ? error.GetType().Name : $"{error.GetType().Name} at {string.Join(" < ", ours)}";
    }

    /// <summary>True when the throw site is in a qtz assembly (not the runtime's own helpers).</summary>
    public static bool ThrownByOurCode(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var top = new StackTrace(error, false).GetFrames().FirstOrDefault();
        return top is not null && IsOurs(TypeName(top));
    }

    // DiagnosticMethodInfo names a frame's method without reflection metadata, so this also works in the native build.
    private static IEnumerable<string> OurFrames(Exception error) =>
        new StackTrace(error, false).GetFrames()
            .Select(f => (Type: TypeName(f), Method: DiagnosticMethodInfo.Create(f)?.Name))
            .Where(m => m.Method is not null && IsOurs(m.Type) && Namespace(m.Type!) != typeof(FailureSignature).Namespace)
            .Select(m => $"{Outer(m.Type!)}.{m.Method}");

    private static string Namespace(string typeName)
    {
        var outer = typeName.Split('+')[0];
        return outer[..Math.Max(0, outer.LastIndexOf('.'))];
    }

    private static string? TypeName(StackFrame frame) => DiagnosticMethodInfo.Create(frame)?.DeclaringTypeName;

    private static bool IsOurs(string? typeName) => typeName?.StartsWith("Qtz.", StringComparison.Ordinal) == true;

    // Lambdas and iterators live in nested compiler types ("Outer+<>c"); name the type a reader knows.
    private static string Outer(string typeName)
    {
        var parts = typeName.Split('+');
        var keep = parts.Length;
        while (keep > 1 && parts[keep - 1].Contains('<', StringComparison.Ordinal)) keep--;
        var name = parts[keep - 1];
        var generic = name.IndexOf('`', StringComparison.Ordinal);
        if (generic >= 0) name = name[..generic];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
