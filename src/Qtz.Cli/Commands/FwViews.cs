using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Mdt;

namespace Qtz.Cli.Commands;

/// <summary>The JSON shapes of <c>qtz fw info</c> and <c>qtz fw verify</c>.</summary>
internal sealed record PhdrView(int Index, string Type, string Flags, string SegmentType, string Access, bool Paged, bool Relocatable,
    string Offset, string VirtualAddress, string PhysicalAddress, ulong FileSize, ulong MemorySize, string Align, bool Loadable, bool Hashed);

internal sealed record MetadataView(string Block, int Length, uint Major, uint Minor, string? SoftwareId, string HardwareId, string OemId, string ModelId,
    string Flags, uint RootCertIndex, uint AntiRollbackVersion);

internal sealed record CertificateView(string Subject, string Issuer, string SignatureAlgorithm, string Key);

internal sealed record SignerView(string Signer, string Scheme, string? SoftwareId, string? HardwareId, string RootSha256, string RootSha384,
    string RootClass, string RootClassReason, IReadOnlyList<CertificateView> Certificates);

internal sealed record HashSegmentView(int Index, int Version, string Algorithm, int DigestLength, uint ImageId, uint HashSize, uint TotalSize,
    string? SoftwareId, string? SoftwareIdName, uint? AntiRollbackVersion, IReadOnlyList<MetadataView> Metadata);

internal sealed record InfoView(string File, string Form, string Class, string Machine, string Entry, int ProgramHeaderCount, string LinuxHeaderCheck,
    string Signing, IReadOnlyList<PhdrView> ProgramHeaders, IReadOnlyList<string> Warnings, HashSegmentView? HashSegment, IReadOnlyList<SignerView> Signers);

internal sealed record CheckView(string Kind, string Status, string Subject, string Detail, int? Segment);

internal sealed record VerifyView(string File, bool Passed, string Signing, string Summary, int? Version, string? Algorithm, string? SoftwareId,
    string? SoftwareIdName, uint? AntiRollbackVersion, IReadOnlyList<SignerView> Signers, IReadOnlyList<CheckView> Checks, IReadOnlyList<string> Warnings);

/// <summary>One file of a multi-file <c>fw verify</c>: its report, or why it could not be read (exit 2/3).</summary>
internal sealed record VerifyFileView(string File, int ExitCode, string Result, VerifyView? Report, string? Error);

internal sealed record VerifySummaryView(int Files, int Verified, int HashOnly, int NoHashSegment, int Failed, int Refused, int InternalErrors);

internal sealed record VerifyManyView(IReadOnlyList<VerifyFileView> Files, VerifySummaryView Summary);

internal static class FwViews
{
    /// <summary>A program header as shown; <paramref name="hashIndex"/> is -1 when no hash segment covers the image (nothing is hashed).</summary>
    public static PhdrView Phdr(int index, ProgramHeader p, int hashIndex) => new(index,
        ProgramHeaderType.Name(p.Type),
        $"0x{p.Flags:X8}", p.Qcom.SegmentType.ToString(), p.Qcom.AccessType.ToString(), p.Qcom.IsPaged, p.Qcom.IsRelocatable,
        $"0x{p.Offset:X}", $"0x{p.VirtualAddress:X}", $"0x{p.PhysicalAddress:X}", p.FileSize, p.MemorySize, $"0x{p.Align:X}",
        Qtz.Firmware.Mdt.MdtRules.IsLoadable(p), hashIndex >= 0 && index != hashIndex && p.FileSize != 0 && !p.Qcom.IsExcludedFromHashing);

    public static MetadataView Metadata(string block, ImageMetadata m) => new(block, m.Length, m.Major, m.Minor,
        m.SoftwareId is { } sw ? $"0x{sw:X}" : null, $"0x{m.HardwareId:X}", $"0x{m.OemId:X}", $"0x{m.ModelId:X}", $"0x{m.Flags:X}", m.RootCertIndex, m.AntiRollbackVersion);

    public static SignerView Signer(SignerReport s) => new(s.Signer.ToString().ToUpperInvariant(), s.Scheme.ToString(),
        s.Identity.SoftwareId is { } sw ? $"0x{sw:X}" : null, s.Identity.HardwareId is { } hw ? $"0x{hw:X}" : null,
        FwCommand.Hex(s.RootSha256), FwCommand.Hex(s.RootSha384), s.RootClass.ToString(), s.RootClassReason,
        s.Chain.Certificates.Select(c => new CertificateView(c.Subject.ToString(), c.Issuer.ToString(), c.SignatureAlgorithm.Name, c.KeyDescription)).ToList());

    /// <summary>"signed", "hash-only", "no hash segment": how `info` and `verify` name what an image carries.</summary>
    public static string Signing(ImageSigning signing) => signing switch
    {
        ImageSigning.Signed => "signed",
        ImageSigning.HashOnly => "hash-only",
        _ => "no hash segment",
    };

    public static CheckView Check(VerificationCheck c) => new(c.Kind.ToString(), c.Status.ToString(), c.Subject, c.Detail, c.Segment);
}
