using Qtz.Firmware.Images;
using Qtz.Firmware;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Qtz.Firmware.Mdt;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// Firmware images through everything that reads them: ELF and hash-segment parsing, the mdt loader's
/// metadata and load-plan rules, and the full verifier (chain, signature, segment hashes). Seeds are
/// images generated and signed here — hash segment versions 3, 5, 6 and 7 with an ECDSA P-384 or an
/// RSA-2048 key set, so all three image-signature schemes (ECDSA, RSA-PSS, the v3 legacy RSA double
/// hash) are exercised — plus real .mbn files found in the corpus directories (the largest are skipped
/// to keep executions fast). Signature checks are cached, so a mutant pays for public-key work only
/// when it changes the key, the signed bytes or the signature. Signing a fresh image costs two
/// public-key signatures and two uncached verifications, so one input in 64 is generated.
/// </summary>
internal sealed class ElfFuzzTarget : FuzzTarget, IDisposable
{
    private const long MaxRealSeedBytes = 2 << 20;
    private static readonly int[] Versions = [3, 5, 6, 7];
    private readonly FuzzTargetContext _context;
    private readonly Lazy<SigningKeys> _ecKeys = new(() => SigningKeys.Generate(SigningKeyType.P384));
    private readonly Lazy<SigningKeys> _rsaKeys = new(() => SigningKeys.Generate(SigningKeyType.Rsa2048));
    private readonly VerifyOptions _verify = new() { SignatureCache = new SignatureCheckCache() };

    public ElfFuzzTarget(FuzzTargetContext context) => _context = context;

    public override string Name => "elf";

    public override string Description => "ELF/MDT/MBN images and hash segments";

    public override int MaxInputLength => 4 << 20;

    public override int GenerationRate => 64;

    public override IReadOnlyList<byte[]> Seeds(Random random)
    {
        var seeds = Versions.Select(v => Sign(random, v, _ecKeys.Value)).Concat(Versions.Select(v => Sign(random, v, _rsaKeys.Value))).ToList();
        seeds.AddRange(FuzzCorpus.Files(_context, "firmware", ".mbn").Where(f => f.Length <= MaxRealSeedBytes).Take(8).Select(f => File.ReadAllBytes(f.FullName)));
        return seeds;
    }

    public override byte[]? Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var version = Versions[random.Next(Versions.Length)];
        // The v3 RSA scheme signs with a textbook modular exponentiation (~0.1 s): its seed covers it.
        var keys = version == 3 || random.Next(2) == 0 ? _ecKeys.Value : _rsaKeys.Value;
        return Sign(random, version, keys);
    }

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

    public void Dispose()
    {
        if (_ecKeys.IsValueCreated) _ecKeys.Value.Dispose();
        if (_rsaKeys.IsValueCreated) _rsaKeys.Value.Dispose();
    }

    private static byte[] Sign(Random random, int version, SigningKeys keys)
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
        return FirmwareSigner.Sign(image, keys, new SignOptions
        {
            Version = version,
            SoftwareId = (uint)random.Next(0x40),
            AntiRollbackVersion = (uint)random.Next(4),
        });
    }
}
