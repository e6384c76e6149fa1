using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Qtz.Platform.IO;

namespace Qtz.Fuzzing;

/// <summary>Writes a failure's shrunk input (<c>.bin</c>) and what it does (<c>.txt</c>) under a name stable per signature.</summary>
public static class ReproducerFile
{
    public static string Write(string directory, string target, int seed, FuzzFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Directory.CreateDirectory(directory);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(failure.Signature)))[..12];
        var path = Path.Combine(directory, $"{target}-{failure.Kind.ToString().ToLowerInvariant()}-{id}.bin");
        AtomicFiles.WriteAllBytes(path, failure.Reproducer);
        var note = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"target:     {target}")
            .AppendLine(CultureInfo.InvariantCulture, $"signature:  {failure.Signature}")
            .AppendLine(CultureInfo.InvariantCulture, $"exception:  {failure.ExceptionType}: {failure.Message}")
            .AppendLine(CultureInfo.InvariantCulture, $"found:      seed {seed}, iteration {failure.FirstIteration}, {failure.InputLength} bytes shrunk to {failure.Reproducer.Length}")
            .AppendLine(CultureInfo.InvariantCulture, $"replay:     qtz fuzz {target} --replay {Path.GetFileName(path)}");
        AtomicFiles.WriteAllText(Path.ChangeExtension(path, ".txt"), note.ToString());
        return path;
    }
}
