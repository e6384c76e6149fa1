using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Real;

public class RealFirmwareTests
{
    public static TheoryData<string, int, string, uint, ImageSignatureScheme, RootClass> Files => new()
    {
        { "qcom/sa8775p/adsp.mbn", 6, "SHA384", 0x04, ImageSignatureScheme.EcdsaP384, RootClass.Test },
        { "qcom/sa8775p/cdsp0.mbn", 6, "SHA384", 0x17, ImageSignatureScheme.EcdsaP384, RootClass.Test },
        { "qcom/sa8775p/cdsp1.mbn", 6, "SHA384", 0x44, ImageSignatureScheme.EcdsaP384, RootClass.Test },
        { "qcom/sa8775p/gpdsp0.mbn", 6, "SHA384", 0x58, ImageSignatureScheme.EcdsaP384, RootClass.Test },
        { "qcom/sa8775p/gpdsp1.mbn", 6, "SHA384", 0x5A, ImageSignatureScheme.EcdsaP384, RootClass.Test },
        { "qcom/sdm845/cdsp.mbn", 5, "SHA256", 0x17, ImageSignatureScheme.RsaPss, RootClass.Test },
        { "qcom/venus-5.2/venus.mbn", 3, "SHA256", 0x0E, ImageSignatureScheme.LegacyRsaDoubleHash, RootClass.Test },
        { "qcom/a530_zap.mdt", 3, "SHA256", 0x14, ImageSignatureScheme.LegacyRsaDoubleHash, RootClass.Test },
        { "qcom/x1e80100/LENOVO/21N1/qcdxkmsuc8380.mbn", 7, "SHA384", 0x14, ImageSignatureScheme.EcdsaP384, RootClass.Production },
    };

    [RequiresFirmwareTheory]
    [MemberData(nameof(Files))]
    public void Every_real_file_verifies_with_its_version_algorithm_sw_id_and_root_class(
        string file, int version, string algorithm, uint softwareId, ImageSignatureScheme scheme, RootClass rootClass)
    {
        using var image = FirmwareImage.Open(TestPaths.FirmwareFile(file));
        var report = FirmwareVerifier.Verify(image);
        Assert.True(report.Passed, string.Join("\n", report.Failures));
        Assert.Equal(version, report.HashSegment!.Version);
        Assert.Equal(algorithm, report.HashSegment.TableAlgorithm.Name);
        Assert.Equal(softwareId, report.SoftwareId);
        var signer = Assert.Single(report.Signers);
        Assert.Equal(scheme, signer.Scheme);
        Assert.Equal(rootClass, signer.RootClass);
        Assert.Contains(report.Checks, c => c.Kind == CheckKind.SegmentHash && c.Status == CheckStatus.Passed);
        Assert.Contains(report.Checks, c => c.Kind == CheckKind.ImageSignature && c.Status == CheckStatus.Passed);
        Assert.Equal(2, report.Checks.Count(c => c.Kind == CheckKind.CertificateLink && c.Status == CheckStatus.Passed));
    }
}
