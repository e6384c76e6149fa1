using Qtz.Linux.Remoteproc;
using Qtz.Secure;
using Xunit;
using Qtz.Secure.Pas;
using PasOutcome = Qtz.Linux.Remoteproc.PasOutcome;

namespace Qtz.Linux.Tests.Remoteproc;

/// <summary>What the PAS suite expects from TrustZone for the tampered copies, established in process on the real image.</summary>
public sealed class PasInProcessTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("qtz-pas-inproc-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static byte[] Adsp() =>
        File.ReadAllBytes(Path.Combine(RealFirmware.Find(null, PasSuite.RequiredFiles)!, RealFirmware.SocFolder, "adsp.mbn"));

    [RequiresSa8775pFirmwareFact]
    public void The_real_ADSP_image_is_accepted_in_process()
    {
        Assert.Equal(new PasOutcome(0, 0, 0, PasOutcome.NotReached), PasSuite.InProcess(Adsp(), "adsp", _work));
    }

    [RequiresSa8775pFirmwareFact]
    public void A_flipped_segment_byte_passes_INIT_IMAGE_and_fails_the_re_hash_at_AUTH_AND_RESET()
    {
        var image = Adsp();
        var spoiled = TamperedImage.Make(image, Tamper.Segment);
        Assert.Equal(1, image.Zip(spoiled).Count(p => p.First != p.Second));
        var outcome = PasSuite.InProcess(spoiled, "adsp", _work);
        Assert.Equal((0, (int)PasErrors.SegmentHashMismatch), (outcome.Init, outcome.Auth));
    }

    [RequiresSa8775pFirmwareFact]
    public void A_flipped_hash_table_byte_is_refused_at_INIT_IMAGE()
    {
        var outcome = PasSuite.InProcess(TamperedImage.Make(Adsp(), Tamper.HashTable), "adsp", _work);
        Assert.Equal(((int)PasErrors.AuthenticationFailed, PasOutcome.NotReached), (outcome.Init, outcome.Auth));
    }
}
