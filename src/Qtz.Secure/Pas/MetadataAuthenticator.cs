using System.Buffers.Binary;
using System.Security.Cryptography;
using Qtz.Firmware;
using Qtz.Firmware.Certificates;
using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;

namespace Qtz.Secure.Pas;

/// <summary>One failed INIT_IMAGE check: the PAS code and a reason a person can act on.</summary>
internal readonly record struct AuthFailure(ulong Code, string Reason);

/// <summary>
/// INIT_IMAGE's checks on the copied metadata (firmware-formats.md §2.8, §4.3), built from
/// Qtz.Firmware's parsers and signature primitives so every hash-segment version it reads (v3, v5, v6,
/// v7) is supported, not only OP-TEE's v6: layout (ELF header, phdrs at e_ehsize, phdr0 covering them,
/// hash segment right after), every signer's chain and image signature, the primary signer's root
/// against the fuses, SW_ID for the PAS id, the ELF-header hash (entry 0), the hash-segment entry
/// being zero, and anti-rollback. Signature checks go through the service's
/// <see cref="SignatureCheckCache"/>: a re-authenticated image costs no public-key operation again.
/// </summary>
internal static class MetadataAuthenticator
{
    /// <summary>The metadata's total length from its first bytes: phdr0.p_filesz + hash segment p_filesz.</summary>
    public static ulong BlobLength(ReadOnlySpan<byte> headerAndPhdrs, out string? error)
    {
        error = null;
        try
        {
            var elf = ElfFile.Parse(headerAndPhdrs);
            var hash = elf.HashSegmentIndex;
            if (hash < 1) { error = "no hash segment program header (p_flags & 0x07000000 == 0x02000000)"; return 0; }
            var header = elf.ProgramHeaders[0].FileSize;
            var segment = elf.ProgramHeaders[hash].FileSize;
            if (header > PasService.MaxMetadataBytes || segment > PasService.MaxMetadataBytes)
            {
                error = $"phdr0 (0x{header:X}) or hash segment (0x{segment:X}) is larger than the {PasService.MaxMetadataBytes}-byte metadata limit";
                return 0;
            }

            return header + segment;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return 0;
        }
    }

    /// <summary>Parses the blob; null and a failure when it is not well formed.</summary>
    public static PasImage? Parse(byte[] blob, out AuthFailure failure)
    {
        failure = default;
        try
        {
            var elf = ElfFile.Parse(blob);
            var h = elf.Header;
            var phdrs = elf.ProgramHeaders;
            string? why = null;
            if (phdrs.Count < 2) why = $"e_phnum is {phdrs.Count}; expected at least 2";
            else if (h.PhOff != (ulong)h.HeaderSize) why = $"e_phoff is 0x{h.PhOff:X}; the program headers must follow the ELF header at 0x{h.HeaderSize:X}";
            else if (phdrs[0].Type != ProgramHeaderType.Null || phdrs[0].FileSize != h.PhdrTableEnd)
                why = $"program header 0 must be the PT_NULL placeholder covering the ELF header and phdrs (0x{h.PhdrTableEnd:X} bytes), found p_filesz 0x{phdrs[0].FileSize:X}";
            else if (elf.HashSegmentIndex < 1) why = "no hash segment program header";
            if (why is not null)
            {
                failure = new AuthFailure(PasErrors.MalformedMetadata, why);
                return null;
            }

            SegmentLayout.Check(elf);
            var index = elf.HashSegmentIndex;
            var hashBytes = blob.AsSpan((int)phdrs[0].FileSize).ToArray();
            if ((ulong)hashBytes.Length != phdrs[index].FileSize)
            {
                failure = new AuthFailure(PasErrors.MalformedMetadata, $"the hash segment is 0x{phdrs[index].FileSize:X} bytes but 0x{hashBytes.Length:X} follow the program headers");
                return null;
            }

            var segment = HashSegment.Parse(hashBytes, phdrs.Count);
            return new PasImage(blob, elf, segment, index, 0, 0, "");
        }
        catch (FormatException e)
        {
            failure = new AuthFailure(PasErrors.MalformedMetadata, e.Message);
            return null;
        }
    }

    /// <summary>Runs every authentication check; returns the image with SW_ID/ARB filled in and all failures in order.</summary>
    public static PasImage Authenticate(PasImage image, SecureBootFuses fuses, uint expectedSoftwareId, List<AuthFailure> failures, SignatureCheckCache? signatures)
    {
        var segment = image.HashSegment;
        SignerReport? primary = null;
        foreach (var signer in segment.Signers)
        {
            var report = CheckSigner(segment, signer, failures, signatures);
            if (report is not null && (primary is null || signer == Signer.Oem)) primary = report;
        }

        if (segment.Trailing.IndexOfAnyExcept((byte)0xFF) >= 0)
            failures.Add(new AuthFailure(PasErrors.AuthenticationFailed, "bytes after the last certificate chain are not 0xFF padding"));
        if (!segment.Signers.Any()) failures.Add(new AuthFailure(PasErrors.AuthenticationFailed, "the hash segment carries no signature"));
        var softwareId = 0u;
        var rollback = 0u;
        if (primary is not null)
        {
            if (!fuses.IsTrusted(primary.RootSha256, primary.RootSha384))
                failures.Add(new AuthFailure(PasErrors.UntrustedRoot,
                    $"root '{primary.Chain.Root.Subject.CommonName}' (sha384 {Convert.ToHexStringLower(primary.RootSha384)}) is not a fused trusted root"));
            softwareId = FirmwareVerifier.SoftwareIdOf(segment, primary);
            rollback = FirmwareVerifier.RollbackOf(segment, primary);
        }

        if (primary is not null && softwareId != expectedSoftwareId)
            failures.Add(new AuthFailure(PasErrors.WrongSoftwareId, $"image SW_ID 0x{softwareId:X}; this PAS id expects 0x{expectedSoftwareId:X}"));

        var header = image.Blob.AsSpan(0, (int)image.Elf.ProgramHeaders[0].FileSize);
        var digest = CryptographicOperations.HashData(segment.TableAlgorithm, header);
        if (!segment.Entry(0).SequenceEqual(digest))
            failures.Add(new AuthFailure(PasErrors.AuthenticationFailed, $"the ELF header and program headers do not match hash-table entry 0 ({segment.TableAlgorithm.Name})"));
        if (segment.Entry(image.HashSegmentIndex).IndexOfAnyExcept((byte)0) >= 0)
            failures.Add(new AuthFailure(PasErrors.AuthenticationFailed, $"hash-table entry {image.HashSegmentIndex} (the hash segment) must be zero"));
        if (primary is not null && rollback < fuses.RollbackFloor)
            failures.Add(new AuthFailure(PasErrors.RollbackRefused, $"image anti-rollback version {rollback} is below the fused floor {fuses.RollbackFloor}"));
        return image with { SoftwareId = softwareId, AntiRollbackVersion = rollback, Signer = primary?.Chain.Leaf.Subject.CommonName ?? "" };
    }

    /// <summary>A signer whose chain or keys cannot even be parsed fails authentication; nothing escapes the SMC.</summary>
    private static SignerReport? CheckSigner(HashSegment segment, Signer signer, List<AuthFailure> failures, SignatureCheckCache? signatures)
    {
        try
        {
            return CheckSignerUnguarded(segment, signer, failures, signatures);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            failures.Add(new AuthFailure(PasErrors.AuthenticationFailed, $"{signer.ToString().ToUpperInvariant()} signer: {e.Message}"));
            return null;
        }
    }

    // The same signer checks `qtz fw verify` makes, through the service's signature cache; every failed
    // one is an authentication failure.
    private static SignerReport CheckSignerUnguarded(HashSegment segment, Signer signer, List<AuthFailure> failures, SignatureCheckCache? signatures)
    {
        var checks = new List<VerificationCheck>();
        var report = ChainVerifier.Verify(segment, signer, checks, signatures);
        foreach (var check in checks.Where(c => c.Status == CheckStatus.Failed))
            failures.Add(new AuthFailure(PasErrors.AuthenticationFailed, $"{check.Subject}: {check.Detail}"));
        return report;
    }

    /// <summary>e_phoff/e_phnum/e_phentsize from the first bytes, so the reader knows how much header to fetch.</summary>
    public static ulong HeaderTableEnd(ReadOnlySpan<byte> first64, out string? error)
    {
        error = null;
        try
        {
            return ElfHeader.Parse(first64).PhdrTableEnd;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return 0;
        }
    }

    internal static uint ReadU32(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadUInt32LittleEndian(s);
}
