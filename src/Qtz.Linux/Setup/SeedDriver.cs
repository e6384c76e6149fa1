using System.Text;
using System.Text.RegularExpressions;

namespace Qtz.Linux.Setup;

/// <summary>
/// Extracts the posted SCM storage driver (drivers/mtd/devices/qcom_scm_storage.c, a new file in the
/// series) from its mailing-list message at build time, so the GPL driver is never stored here:
/// finds the file's diff header, checks it is a new file, reads the <c>@@ -0,0 +1,N @@</c> hunk and
/// strips the leading '+' of its N lines. Quoted-printable bodies and CRLF line ends are handled.
/// </summary>
public static partial class SeedDriver
{
    public const string TargetPath = "drivers/mtd/devices/qcom_scm_storage.c";

    /// <summary>The module the driver builds into (guest/mod/storage).</summary>
    public const string ModuleName = "qcom_scm_storage";

    /// <summary>The patch's path: $QTZ_SEED_PATCH, else shared/testdata/linux/scm-storage-v2.patch.txt beside the checkout (or $QTZ_TESTDATA).</summary>
    public static string? DefaultPatchPath()
    {
        if (Environment.GetEnvironmentVariable("QTZ_SEED_PATCH") is { Length: > 0 } explicitPath) return explicitPath;
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("QTZ_TESTDATA") is { Length: > 0 } testdata) roots.Add(testdata);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            roots.Add(Path.Combine(dir.FullName, "..", "shared", "testdata"));
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            roots.Add(Path.Combine(dir.FullName, "..", "shared", "testdata"));
        return roots.Select(r => Path.GetFullPath(Path.Combine(r, "linux", "scm-storage-v2.patch.txt"))).FirstOrDefault(File.Exists);
    }

    /// <summary>The driver's source; throws <see cref="InvalidDataException"/> saying what the message lacks.</summary>
    public static string Extract(string patchText, string source = "the patch")
    {
        ArgumentNullException.ThrowIfNull(patchText);
        if (QuotedPrintable().IsMatch(patchText)) patchText = DecodeQuotedPrintable(patchText);
        var lines = patchText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("diff --git ", StringComparison.Ordinal) && l.EndsWith(" b/" + TargetPath, StringComparison.Ordinal));
        if (start < 0)
        {
            start = Array.FindIndex(lines, l => l.StartsWith("+++ ", StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "b/" + TargetPath);
            if (start >= 0) start--;
        }

        if (start < 0) throw new InvalidDataException($"{source}: no diff for {TargetPath}");
        var header = lines.Skip(start).Take(8).ToArray();
        if (!header.Any(l => l.StartsWith("new file mode", StringComparison.Ordinal) || l.StartsWith("--- /dev/null", StringComparison.Ordinal)))
            throw new InvalidDataException($"{source}: {TargetPath} is not added as a new file");
        var hunk = -1;
        var count = 0;
        for (var j = start; j < Math.Min(start + 10, lines.Length); j++)
        {
            var m = HunkHeader().Match(lines[j]);
            if (!m.Success) continue;
            hunk = j;
            count = m.Groups[1].Success ? int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : 1;
            break;
        }

        if (hunk < 0) throw new InvalidDataException($"{source}: no '@@ -0,0 +1,N @@' hunk after the {TargetPath} header");
        var body = new StringBuilder();
        var taken = 0;
        for (var i = hunk + 1; i < lines.Length && taken < count; i++)
        {
            if (lines[i].StartsWith('\\')) continue;
            if (!lines[i].StartsWith('+')) throw new InvalidDataException($"{source}: the {TargetPath} hunk ends after {taken} of {count} lines");
            body.Append(lines[i].AsSpan(1)).Append('\n');
            taken++;
        }

        if (taken != count) throw new InvalidDataException($"{source}: only {taken} of {count} lines of {TargetPath}");
        return body.ToString();
    }

    private static string DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>(text.Length);
        var raw = Encoding.Latin1.GetBytes(text.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal));
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '=' && i + 2 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]) && Uri.IsHexDigit((char)raw[i + 2]))
            {
                bytes.Add(Convert.ToByte(Encoding.ASCII.GetString(raw, i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"(?im)^content-transfer-encoding:\s*quoted-printable")]
    private static partial Regex QuotedPrintable();

    [GeneratedRegex(@"^@@ -0,0 \+1(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();
}
