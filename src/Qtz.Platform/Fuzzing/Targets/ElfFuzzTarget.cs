using Qtz.Firmware.Images;
using Qtz.Firmware;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;

namespace Qtz.Platform.Fuzzing.Targets;

/// <summary>
/// Firmware images through everything that reads them: ELF and hash-segment parsing, the mdt loader's
/// metadata and load-plan rules, and the full verifier (chain, signature, segment hashes). Seeds are
/// images generated and signed here (hash segment versions 3, 5, 6 and 7, ECDSA P-384) plus real
/// .mbn files found in the corpus directories (the largest are skipped to keep executions fast).
/// Signature checks are cached, so a mutant pays for public-key work only when it changes its inputs.
/// </summary>
internal sealed class ElfFuzzTarget : FuzzTarget
{
    private const long MaxRealSeedBytes = 2 << 20;
    private static readonly int[] Versions = [3, 5, 6, 7];
    private readonly FuzzTargetContext _context;
    private readonly Lazy<SigningKeys> _keys = new(() => SigningKeys.Generate(SigningKeyType.P384));
    private readonly VerifyOptions _verify = new() { SignatureCache = new SignatureCheckCache() };

    public ElfFuzzTarget(FuzzTargetContext context) => _context = context;

    public override string Name => "elf";

    public override string Description => "ELF/MDT/MBN images and hash segments";

    public override int MaxInputLength => 4 << 20;

    public override IReadOnlyList<byte[]> Seeds(Random random)
    {
        var seeds = Versions.Select(v => Sign(random, v)).ToList();
        seeds.AddRange(FuzzCorpus.Files(_context, "firmware", ".mbn").Where(f => f.Length <= MaxRealSeedBytes).Take(8).Select(f => File.ReadAllBytes(f.FullName)));
        return seeds;
    }

    public override byte[]? Generate(Random random) => Sign(random, Versions[random.Next(Versions.Length)]);

    /// <summary>
    /// Also IOException: an image whose headers say "split" names .bNN files that an in-memory image does
    /// not have, and Qtz.Firmware reports that as FileNotFoundException (the CLI's exit 2), by design.
    /// </summary>
    public override bool IsExpectedRejection(Exception error) => error is IOException || base.IsExpectedRejection(error);

    public override void Execute(byte[] input)
    {
        using var image = FirmwareImage.FromMemory(input);
        _ = MdtRules.IsSplit(image.Elf, input.Length);
        _ = MdtRules.GetSize(image.Elf);
        _ = MdtMetadata.Build(image);
        _ = MdtLoadPlan.Create(image.Elf, 0x9000_0000, 0x0100_0000);
        _ = FirmwareVerifier.Verify(image, _verify);
    }

    private byte[] Sign(Random random, int version)
    {
        var segments = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => (long)(1 + random.Next(6000))).ToArray();
        var builder = new UnsignedImageBuilder
        {
            Seed = random.Next(),
            SegmentSizes = segments,
            ZeroFillSize = random.Next(3) * 512,
            Relocatable = random.Next(2) == 0,
            AddZeroInitSegment = random.Next(2) == 0,
        };
        using var image = FirmwareImage.FromMemory(builder.Build());
        return FirmwareSigner.Sign(image, _keys.Value, new SignOptions
        {
            Version = version,
            SoftwareId = (uint)random.Next(0x40),
            AntiRollbackVersion = (uint)random.Next(4),
        });
    }
}
