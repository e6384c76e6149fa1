using Qtz.Firmware.Images;

namespace Qtz.Platform.FirmwareLoader;

/// <summary>
/// Linux's request_firmware for the board: a name like "qcom/SOC/adsp.mbn" resolved against a
/// /lib/firmware-like directory, or against the generated default images.
/// </summary>
public abstract class FirmwareSource
{
    /// <summary>What the output calls this source ("generated test-signed", a directory path).</summary>
    public abstract string Description { get; }

    /// <summary>The image, or null when the name is not there (Linux: -ENOENT).</summary>
    public abstract FirmwareImage? TryOpen(string name);

    /// <summary>
    /// The names tried for a remoteproc's firmware: its <c>firmware-name</c> as given, and when the DT
    /// has none, the SoC default both bare and under qcom/SOC/ (where linux-firmware ships a SoC's
    /// images and where board DTs point firmware-name).
    /// </summary>
    public static IReadOnlyList<string> Candidates(string? firmwareName, string defaultName, string soc) =>
        firmwareName is not null ? [firmwareName] : [defaultName, $"qcom/{soc}/{defaultName}"];

    public static FirmwareSource Directory(string path) => new DirectorySource(path);

    private sealed class DirectorySource : FirmwareSource
    {
        private readonly string _root;

        public DirectorySource(string root)
        {
            if (!System.IO.Directory.Exists(root))
                throw new DirectoryNotFoundException($"firmware directory '{root}' does not exist (give a /lib/firmware-like directory, e.g. one holding qcom/SOC/adsp.mbn)");
            _root = root;
        }

        public override string Description => _root;

        public override FirmwareImage? TryOpen(string name)
        {
            var path = Path.Combine(_root, name);
            return File.Exists(path) ? FirmwareImage.OpenFromSearchPath(name, [_root]) : null;
        }
    }
}
