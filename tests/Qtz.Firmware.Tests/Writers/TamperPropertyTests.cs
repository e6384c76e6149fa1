using FsCheck;
using FsCheck.Fluent;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Xunit;

namespace Qtz.Firmware.Tests.Writers;

/// <summary>Flipping any byte of a signed image makes verify fail at the check that covers that byte.</summary>
public class TamperPropertyTests
{
    public enum Region
    {
        SignedRegion,
        HashedSegment,
        Certificate,
    }

    public sealed record Tamper(int Version, SigningKeyType Type, Region Region, int Position, byte Mask);

    private static readonly Dictionary<(int, SigningKeyType), (byte[] Image, VerificationReport Report, int HashOffset)> Signed = [];

    private static (byte[] Image, VerificationReport Report, int HashOffset) Get(int version, SigningKeyType type)
    {
        lock (Signed)
        {
            if (!Signed.TryGetValue((version, type), out var entry))
            {
                var image = TestImages.Signed(version, type, unsignedImage: TestImages.Unsigned(version, [512, 300, 77]));
                using var fw = FirmwareImage.FromMemory(image);
                entry = (image, FirmwareVerifier.Verify(fw), (int)fw.ProgramHeaders[fw.HashSegmentIndex].Offset);
                Signed[(version, type)] = entry;
            }

            return entry;
        }
    }

    private static readonly Gen<Tamper> Tampers =
        from version in Gen.Elements(3, 5, 6, 7)
        from type in Gen.Elements(SigningKeyType.Rsa2048, SigningKeyType.P384)
        from region in Gen.Elements(Region.SignedRegion, Region.HashedSegment, Region.Certificate)
        from position in Gen.Choose(0, int.MaxValue)
        from mask in Gen.Choose(1, 255)
        select new Tamper(version, type, region, position, (byte)mask);

    [Fact]
    public void Flipping_any_byte_fails_the_check_that_covers_it()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(Arb.From(Tampers), Holds));
    }

    private static bool Holds(Tamper t)
    {
        var (image, report, hashOffset) = Get(t.Version, t.Type);
        var segment = report.HashSegment!;
        int at;
        Func<VerificationReport, bool> expected;
        switch (t.Region)
        {
            case Region.SignedRegion:
                at = hashOffset + (t.Position % (int)segment.Header.SignedLength);
                expected = r => r.Failures.Any(c => c.Kind == CheckKind.ImageSignature);
                break;
            case Region.HashedSegment:
                var segments = Enumerable.Range(2, report.Checks.Count(c => c.Kind == CheckKind.SegmentHash) - 1).ToArray();
                var index = segments[t.Position % segments.Length];
                using (var fw = FirmwareImage.FromMemory(image))
                {
                    var phdr = fw.ProgramHeaders[index];
                    at = (int)phdr.Offset + (int)((uint)t.Position / (uint)segments.Length % phdr.FileSize);
                }

                expected = r => r.Failures.Select(c => (c.Kind, c.Segment)).SequenceEqual([(CheckKind.SegmentHash, (int?)index)]);
                break;
            default:
                var chain = report.Signers[0].Chain;
                at = hashOffset + segment.ChainOffset(Qtz.Firmware.HashSegments.Signer.Oem) + (t.Position % chain.PaddingOffset);
                expected = r => r.Failures.Any(c => c.Kind is CheckKind.CertificateLink or CheckKind.RootSelfSigned);
                break;
        }

        var tampered = Mutate.With(image, b => b[at] ^= t.Mask);
        var (result, error) = Mutate.TryVerify(tampered);
        // A flip that breaks the structure (a size field, a DER length) is a typed input error: also "caught".
        return error is FirmwareFormatException || (result is not null && expected(result));
    }
}
