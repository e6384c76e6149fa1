using System.Diagnostics;

namespace Qtz.Platform.Fuzzing;

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
        var top = new StackTrace(error, false).GetFrames().FirstOrDefault()?.GetMethod()?.DeclaringType;
        return IsOurs(top);
    }

    private static IEnumerable<string> OurFrames(Exception error) =>
        new StackTrace(error, false).GetFrames()
            .Select(f => f.GetMethod())
            .Where(m => m is not null && IsOurs(m.DeclaringType) && m.DeclaringType!.Namespace != typeof(FailureSignature).Namespace)
            .Select(m => $"{Outer(m!.DeclaringType!).Name}.{m.Name}");

    private static bool IsOurs(Type? type) => type?.Namespace?.StartsWith("Qtz.", StringComparison.Ordinal) == true;

    // Lambdas and iterators live in nested compiler types; name the type a reader knows.
    private static Type Outer(Type type)
    {
        while (type.DeclaringType is not null && type.Name.Contains('<', StringComparison.Ordinal)) type = type.DeclaringType;
        return type;
    }
}
