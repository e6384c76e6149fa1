using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Verifies a whole image outside TrustZone (firmware-formats.md §2.8): the hash table against every
/// segment, each signer's certificate chain and image signature, padding, and the optional policy
/// (pinned root, SW_ID for a PAS id, anti-rollback floor). Malformed input throws
/// <see cref="FirmwareFormatException"/>; a failed check is reported, never thrown.
/// </summary>
public static class FirmwareVerifier
{
    public static VerificationReport Verify(FirmwareImage image, VerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new VerifyOptions();
        var warnings = Elf.SegmentLayout.Check(image.Elf);
        if (!image.HasHashSegment)
            return new VerificationReport(null, image.HashSegmentIndex, [], 0, 0, [], ImageSigning.NoHashSegment, warnings);
        var metadata = MdtMetadata.Build(image);
        var segment = HashSegment.Parse(metadata.HashSegmentBytes.ToArray(), image.ProgramHeaders.Count);
        var checks = new List<VerificationCheck>();

        // The signatures are checked while the segments hash: four P-384 verifications cost about as
        // much as a third of a 20 MB image's hashing, and the signed region is the hash segment itself.
        var signerChecks = new List<VerificationCheck>();
        List<SignerReport> signers;
        using (var hashTable = StartHashTable(image, segment, metadata.HashSegmentIndex, options))
        {
            signers = segment.Signers.Select(s => ChainVerifier.Verify(segment, s, signerChecks, options.SignatureCache)).ToList();
            checks.AddRange(hashTable.Finish());
        }

        checks.AddRange(signerChecks);
        var trailingBad = segment.Trailing.IndexOfAnyExcept((byte)0xFF);
        checks.Add(trailingBad < 0
            ? new VerificationCheck(CheckKind.TrailingPadding, CheckStatus.Passed, "hash segment", $"{segment.Trailing.Length} trailing bytes, all 0xFF")
            : new VerificationCheck(CheckKind.TrailingPadding, CheckStatus.Failed, "hash segment", $"trailing byte at hash-segment offset 0x{segment.TrailingRange.Start.Value + trailingBad:X} is not 0xFF"));

        var primary = signers.FirstOrDefault(s => s.Signer == Signer.Oem) ?? signers.FirstOrDefault();
        var softwareId = SoftwareIdOf(segment, primary);
        var rollback = RollbackOf(segment, primary);
        CheckPolicy(options, signers, softwareId, rollback, checks);
        return new VerificationReport(segment, metadata.HashSegmentIndex, signers, softwareId, rollback, checks,
            signers.Count == 0 ? ImageSigning.HashOnly : ImageSigning.Signed, warnings);
    }

    /// <summary>
    /// Verifies an INIT_IMAGE metadata blob (ELF header + phdrs immediately followed by the hash segment),
    /// as TrustZone does before any segment is loaded: the segment entries stay for AUTH_AND_RESET, where
    /// the caller hashes memory and compares with <see cref="HashSegment.Entry"/>.
    /// </summary>
    public static VerificationReport VerifyMetadata(ReadOnlyMemory<byte> blob, VerifyOptions? options = null)
    {
        using var image = FirmwareImage.FromMemory(blob, "metadata.mdt");
        return Verify(image, (options ?? new VerifyOptions()) with { MetadataOnly = true });
    }

    /// <summary>SW_ID: v7 common metadata, v6 metadata, v3/v5 the leaf's "01 … SW_ID" OU (low 32 bits).</summary>
    public static uint SoftwareIdOf(HashSegment segment, SignerReport? signer)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Header.Common?.SoftwareId
            ?? segment.EffectiveMetadata?.SoftwareId
            ?? (uint)(signer?.Identity.SoftwareId ?? 0);
    }

    /// <summary>Anti-rollback: v6/v7 metadata; v3/v5 the high 32 bits of SW_ID (UNCONFIRMED).</summary>
    public static uint RollbackOf(HashSegment segment, SignerReport? signer)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.EffectiveMetadata?.AntiRollbackVersion ?? (uint)((signer?.Identity.SoftwareId ?? 0) >> 32);
    }

    private static PendingHashTable StartHashTable(FirmwareImage image, HashSegment segment, int hashIndex, VerifyOptions options)
    {
        var phdrs = image.ProgramHeaders;
        var hashed = new List<int>();
        var slots = new VerificationCheck?[phdrs.Count];
        for (var i = 0; i < phdrs.Count; i++)
        {
            var p = phdrs[i];
            if (i == hashIndex)
            {
                var zero = segment.Entry(i).IndexOfAnyExcept((byte)0) < 0;
                slots[i] = new VerificationCheck(CheckKind.HashSegmentEntryZero, zero ? CheckStatus.Passed : CheckStatus.Failed, $"segment {i}",
                    zero ? "hash-table entry is zero as required" : $"hash-table entry must be zero (the hash segment) but is {Convert.ToHexStringLower(segment.Entry(i))}", i);
            }
            else if (p.FileSize == 0)
            {
                slots[i] = EmptySegmentEntry(segment, i);
            }
            else if (options.MetadataOnly && i != 0)
            {
                slots[i] = new VerificationCheck(CheckKind.SegmentHash, CheckStatus.Skipped, $"segment {i}", "not in the metadata: hashed from memory at AUTH_AND_RESET", i);
            }
            else if (p.Qcom.IsExcludedFromHashing)
            {
                slots[i] = new VerificationCheck(CheckKind.SegmentHash, CheckStatus.Skipped, $"segment {i}",
                    $"not hashed ({(p.Qcom.IsPaged ? "paged" : p.Qcom.AccessType.ToString())} segment)", i);
            }
            else
            {
                hashed.Add(i);
            }
        }

        return new PendingHashTable(image, segment, slots, hashed, SegmentHasher.Start(image, hashed, segment.TableAlgorithm, options.Threads, options.Progress));
    }

    /// <summary>The hash-table checks, one per program header, of which the hashed segments' wait for their digests.</summary>
    private sealed class PendingHashTable(FirmwareImage image, HashSegment segment, VerificationCheck?[] slots, List<int> hashed, SegmentHashing hashing) : IDisposable
    {
        public IEnumerable<VerificationCheck> Finish()
        {
            var digests = hashing.Finish();
            var algorithm = segment.TableAlgorithm.Name;
            for (var k = 0; k < hashed.Count; k++)
            {
                var i = hashed[k];
                var expected = segment.Entry(i);
                var size = image.ProgramHeaders[i].FileSize;
                var ok = expected.SequenceEqual(digests[k]);
                slots[i] = new VerificationCheck(CheckKind.SegmentHash, ok ? CheckStatus.Passed : CheckStatus.Failed, $"segment {i}",
                    ok ? $"{algorithm} of {size} bytes matches"
                       : $"{algorithm} of {size} bytes is {Convert.ToHexStringLower(digests[k])}, the hash table says {Convert.ToHexStringLower(expected)}", i);
            }

            return slots.Select(s => s!);
        }

        public void Dispose() => hashing.Dispose();
    }

    /// <summary>
    /// A segment without file bytes has an all-zero entry in SecTools output; ath12k/WCN7850/hw2.0/amss.bin
    /// stores SHA-256("") for its empty LOAD instead, which is what hashing its zero file bytes gives. Both
    /// are accepted; anything else fails.
    /// </summary>
    private static VerificationCheck EmptySegmentEntry(HashSegment segment, int i)
    {
        var entry = segment.Entry(i);
        if (entry.IndexOfAnyExcept((byte)0) < 0)
            return new VerificationCheck(CheckKind.EmptySegmentEntryZero, CheckStatus.Passed, $"segment {i}", "hash-table entry is zero as required", i);
        var ofNothing = System.Security.Cryptography.CryptographicOperations.HashData(segment.TableAlgorithm, []);
        return entry.SequenceEqual(ofNothing)
            ? new VerificationCheck(CheckKind.EmptySegmentEntryZero, CheckStatus.Passed, $"segment {i}", $"hash-table entry is {segment.TableAlgorithm.Name}(\"\") of the empty segment", i)
            : new VerificationCheck(CheckKind.EmptySegmentEntryZero, CheckStatus.Failed, $"segment {i}",
                $"hash-table entry must be zero or {segment.TableAlgorithm.Name}(\"\") (p_filesz is 0) but is {Convert.ToHexStringLower(entry)}", i);
    }

    private static void CheckPolicy(VerifyOptions options, List<SignerReport> signers, uint softwareId, uint rollback, List<VerificationCheck> checks)
    {
        if (options.PinnedRootHashes.Count > 0)
        {
            foreach (var s in signers)
            {
                var pinned = options.PinnedRootHashes.Any(h => h.AsSpan().SequenceEqual(s.RootSha384) || h.AsSpan().SequenceEqual(s.RootSha256));
                checks.Add(new VerificationCheck(CheckKind.RootHash, pinned ? CheckStatus.Passed : CheckStatus.Failed, $"{s.Signer.ToString().ToUpperInvariant()} root",
                    $"root '{s.Chain.Root.Subject.CommonName}' sha384 {Convert.ToHexStringLower(s.RootSha384)} {(pinned ? "matches a pinned root hash" : "matches no pinned root hash")}"));
            }
        }

        if (options.PasId is { } pasId)
        {
            var expected = PasSoftwareIds.ExpectedFor(pasId);
            checks.Add(new VerificationCheck(CheckKind.SoftwareId, softwareId == expected ? CheckStatus.Passed : CheckStatus.Failed, $"PAS id {pasId}",
                $"image SW_ID 0x{softwareId:X}, PAS id {pasId} expects 0x{expected:X}"));
        }

        if (options.MinimumRollbackVersion is { } floor)
        {
            checks.Add(new VerificationCheck(CheckKind.AntiRollback, rollback >= floor ? CheckStatus.Passed : CheckStatus.Failed, "anti-rollback",
                $"image version {rollback}, floor {floor}"));
        }
    }
}
