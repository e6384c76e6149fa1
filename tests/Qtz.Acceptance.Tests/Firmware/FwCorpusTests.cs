using System.Text.Json;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Firmware;

/// <summary>
/// Every ELF of Debian's firmware-qcom-soc, firmware-atheros and firmware-qcom-media packages, unpacked
/// under $QTZ_FIRMWARE_CORPUS (.ci/run provides them with apt-get download + dpkg -x): `fw info` and
/// `fw verify` never refuse one (exit 2) and never fail inside (exit 3), and every signed image splits
/// and squashes back byte-identical. Nothing of the packages is committed; without them the tests skip.
/// </summary>
public class FwCorpusTests
{
    private static string? CorpusRoot => Environment.GetEnvironmentVariable("QTZ_FIRMWARE_CORPUS") is { Length: > 0 } root && Directory.Exists(root) ? root : null;

    /// <summary>Regular files with the ELF magic (not .bNN pieces of split images) and the .mdt names Linux asks for.</summary>
    private static List<string> Targets()
    {
        var root = CorpusRoot!;
        var targets = new List<string>();
        var magic = new byte[4];
        foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                if (path.EndsWith(".mdt", StringComparison.Ordinal) && File.Exists(path))
                    targets.Add(path);
                continue;
            }

            if (IsSegmentFile(path) || info.Length < 4)
                continue;
            using var file = File.OpenRead(path);
            file.ReadExactly(magic);
            if (magic.AsSpan().SequenceEqual("\u007fELF"u8))
                targets.Add(path);
        }

        return targets;
    }

    private static bool IsSegmentFile(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Length == 4 && extension[1] == 'b' && char.IsAsciiDigit(extension[2]) && char.IsAsciiDigit(extension[3]);
    }

    [RequiresCorpusFact]
    public void Verify_of_every_image_gives_a_verdict_never_bad_input_or_an_internal_error()
    {
        var targets = Targets();
        Assert.NotEmpty(targets);
        var run = QtzBinary.Run(["fw", "verify", "--json", .. targets]);
        Assert.True(run.ExitCode is 0 or 1, run.StdErr);
        using var json = JsonDocument.Parse(run.StdOut);
        var refused = json.RootElement.GetProperty("files").EnumerateArray()
            .Where(f => f.GetProperty("exitCode").GetInt32() is not (0 or 1))
            .Select(f => $"{f.GetProperty("file").GetString()}: {f.GetProperty("result").GetString()}").ToList();
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        Assert.Equal(targets.Count, summary.GetProperty("verified").GetInt32() + summary.GetProperty("hashOnly").GetInt32() + summary.GetProperty("noHashSegment").GetInt32());
    }

    [RequiresCorpusFact]
    public void Info_of_every_image_exits_0()
    {
        var failures = Targets().Select(t => (File: t, Run: QtzBinary.Run("fw", "info", "--json", t)))
            .Where(r => r.Run.ExitCode != 0).Select(r => $"{r.File}: exit {r.Run.ExitCode}: {r.Run.StdErr.Trim()}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [RequiresCorpusFact]
    public void Every_signed_image_splits_and_squashes_back_byte_identical()
    {
        var checkedImages = 0;
        using var temp = new TempDirectory();
        foreach (var path in Targets())
        {
            using var image = FirmwareImage.Open(path);
            if (image.Form != ImageForm.Single || FirmwareInspector.Describe(image).Signing != ImageSigning.Signed)
                continue;
            var directory = temp.File($"split{checkedImages++}");
            Directory.CreateDirectory(directory);
            var streams = new List<Stream>();
            try
            {
                ImageSplitter.Split(image, name =>
                {
                    var s = File.Create(Path.Combine(directory, name));
                    streams.Add(s);
                    return s;
                }, "fw");
            }
            finally
            {
                streams.ForEach(s => s.Dispose());
            }

            using var split = FirmwareImage.Open(Path.Combine(directory, "fw.mdt"));
            var squashed = ImageSquasher.Squash(split);
            var original = File.ReadAllBytes(path);
            // qcom/aic100/sbl.bin is a flash-partition image: 0xFF after its last segment up to 1 MiB. The
            // split set does not carry bytes no segment covers, so those compare as uniform padding.
            var tail = original.AsSpan(Math.Min(squashed.Length, original.Length));
            Assert.True(tail.IndexOfAnyExcept(tail.IsEmpty ? (byte)0 : tail[0]) < 0 && (tail.IsEmpty || tail[0] is 0 or 0xFF), $"{path}: bytes after the last segment are not padding");
            Assert.True(squashed.AsSpan().SequenceEqual(original.AsSpan(0, squashed.Length)), $"{path}: split then squash is not byte-identical");
            Directory.Delete(directory, recursive: true);
        }

        Assert.True(checkedImages > 0, "the corpus has no signed single-file image");
    }
}

/// <summary>A fact that skips, saying how to get the packages, when $QTZ_FIRMWARE_CORPUS is not set.</summary>
public sealed class RequiresCorpusFactAttribute : FactAttribute
{
    public RequiresCorpusFactAttribute()
    {
        var root = Environment.GetEnvironmentVariable("QTZ_FIRMWARE_CORPUS");
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
            Skip = "Debian firmware corpus not found: set QTZ_FIRMWARE_CORPUS to the dpkg -x root of firmware-qcom-soc, firmware-atheros and firmware-qcom-media (bookworm-backports non-free-firmware; .ci/run fetches them)";
    }
}
