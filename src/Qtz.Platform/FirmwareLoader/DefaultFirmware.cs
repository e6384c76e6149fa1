using System.Reflection;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.FirmwareLoader;

/// <summary>What the generator needs to know about one image: its firmware file name, PAS id, carveout and SW_ID.</summary>
public sealed record DefaultImageSpec(string FirmwareName, uint PasId, PhysRange Carveout)
{
    /// <summary>The SW_ID signed into it; null: the one Qtz.Firmware's PAS table gives the PAS id.</summary>
    public uint? SoftwareId { get; init; }

    /// <summary>Segment file sizes for a region too small for the usual layout (a zap shader's few pages); null: fitted to the carveout.</summary>
    public IReadOnlyList<long>? SegmentSizes { get; init; }
}

/// <summary>
/// The generated firmware: one image per PAS id (DSPs and DTB images), built at startup in memory — v6
/// hash segment, P-384 signatures by the embedded TEST key set, the SW_ID TrustZone expects for the PAS
/// id, and a small Hexagon-like layout (code, rodata, data with zero fill, a BSS-only segment) placed at
/// the start of its carveout with the entry at its first byte, shrunk to fit small carveouts. Contents are a pure function of the
/// seed and the PAS id; ECDSA signatures are randomized, so only the signature bytes differ per run.
/// </summary>
public sealed class DefaultFirmware : FirmwareSource
{
    /// <summary>Segment file sizes: small on purpose (startup cost), page-multiple like real images.</summary>
    public static readonly IReadOnlyList<long> SegmentSizes = [96 << 10, 32 << 10, 16 << 10];

    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    private DefaultFirmware(IEnumerable<DefaultImageSpec> specs, int seed)
    {
        using var keys = LoadTestKeys();
        RootSha384 = keys.RootSha384;
        foreach (var spec in specs)
        {
            var (sizes, zeroFill) = spec.SegmentSizes is { } given ? (given, 0) : Fit(spec.Carveout.Size);
            var unsigned = new UnsignedImageBuilder
            {
                SegmentSizes = sizes,
                ZeroFillSize = zeroFill,
                PhysicalBase = spec.Carveout.Base.Value,
                Seed = unchecked((seed * 1000003) + (int)spec.PasId),
                AddZeroInitSegment = spec.SegmentSizes is null,
            }.Build();
            using var image = FirmwareImage.FromMemory(unsigned, spec.FirmwareName);
            var signed = FirmwareSigner.Sign(image, keys, new SignOptions { Version = 6, SoftwareId = spec.SoftwareId ?? PasSoftwareIds.ExpectedFor(spec.PasId), OemId = 1 });
            _files[spec.FirmwareName] = signed;
        }
    }

    /// <summary>
    /// The layout for a carveout: the default sizes when they fit a quarter of it (room for the BSS segment
    /// and alignment), else every segment shrunk to the same share, in whole pages.
    /// </summary>
    private static (IReadOnlyList<long> Sizes, long ZeroFill) Fit(ulong carveout)
    {
        var total = SegmentSizes.Sum() + 0x3000;
        if ((ulong)total * 4 <= carveout) return (SegmentSizes, 0x3000);
        var share = (long)Math.Max(Paging.PageSize, Paging.AlignDown(carveout / 4 / (ulong)(SegmentSizes.Count + 1)));
        return ([.. SegmentSizes.Select(_ => share)], 0);
    }

    /// <summary>SHA-384 of the embedded test root certificate: what the default fuses trust.</summary>
    public byte[] RootSha384 { get; }

    public override string Description => "generated at startup, test-signed (embedded qtz TEST keys)";

    public IReadOnlyCollection<string> Names => _files.Keys;

    public static DefaultFirmware Generate(IEnumerable<DefaultImageSpec> specs, int seed = 6) => new(specs, seed);

    /// <summary>The raw bytes of a generated image (tests tamper with copies of these).</summary>
    public byte[] Bytes(string name) => (byte[])_files[Key(name) ?? throw new KeyNotFoundException($"no generated image '{name}'; have {string.Join(", ", _files.Keys)}")].Clone();

    /// <summary>Replaces an image (by full name or file name), e.g. with a tampered copy.</summary>
    public void Replace(string name, byte[] bytes) => _files[Key(name) ?? name] = bytes;

    public override FirmwareImage? TryOpen(string name) =>
        Key(name) is { } key ? FirmwareImage.FromMemory(_files[key], name) : null;

    /// <summary>The stored name for <paramref name="name"/>: exact, else the one with the same file name (adsp.mbn ↔ qcom/SOC/adsp.mbn).</summary>
    private string? Key(string name) =>
        _files.ContainsKey(name) ? name : _files.Keys.FirstOrDefault(k => Path.GetFileName(k) == Path.GetFileName(name));

    private static readonly Lazy<byte[]> EmbeddedRootSha384 = new(() =>
    {
        using var keys = LoadTestKeys();
        return keys.RootSha384;
    });

    /// <summary>SHA-384 of the embedded test root, without generating any image (the key files are read once per process).</summary>
    public static byte[] TestRootSha384() => (byte[])EmbeddedRootSha384.Value.Clone();

    /// <summary>The embedded key set, read straight from the assembly's resources.</summary>
    public static SigningKeys LoadTestKeys()
    {
        var assembly = typeof(DefaultFirmware).Assembly;
        return SigningKeys.Load(file => Resource(assembly, file), "embedded test keys");
    }

    private static byte[] Resource(Assembly assembly, string file)
    {
        using var stream = assembly.GetManifestResourceStream("Qtz.Platform.FirmwareLoader.TestKeys." + file)
            ?? throw new InvalidOperationException($"embedded test key '{file}' is missing from Qtz.Platform");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
