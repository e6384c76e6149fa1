using FsCheck;
using FsCheck.Fluent;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Soc.Smc;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasHostileInputTests
{
    private static readonly byte[] Metadata = TestImages.Metadata(TestImages.Signed(0x04)).Blob;

    [Fact]
    public void Corrupted_metadata_is_refused_with_a_status_and_never_escapes_as_an_exception()
    {
        var bench = new PasBench();
        Prop.ForAll(Gen.Choose(0, Metadata.Length - 1).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (at, mask) =>
        {
            var blob = (byte[])Metadata.Clone();
            blob[at] ^= (byte)mask;
            bench.Write(MetadataAt, blob);
            var r = bench.Pil(PasService.InitImageCommand, new ArgInfo(0x82), AdspPasId, MetadataAt);
            bench.Pil(PasService.ShutdownCommand, ArgInfo.Values(1), AdspPasId);
            return r.Status != 0 || r.X1 != 0;
        }).QuickCheckThrowOnFailure();
    }
}
