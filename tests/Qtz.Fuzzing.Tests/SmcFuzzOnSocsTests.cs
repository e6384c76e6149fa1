using Qtz.Fuzzing.Targets;
using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Fuzzing.Tests;

/// <summary>The smc fuzz target on other SoCs' boards: DTB images and a modem (SM8550), DTB and lite images (X1E80100), classic (SM8250).</summary>
public sealed class SmcFuzzOnSocsTests
{
    [RequiresDtbsFact]
    public void Generated_and_mutated_smc_inputs_hold_every_invariant_on_three_socs()
    {
        foreach (var dtb in (string[])["sm8550-hdk.dtb", "x1e80100-crd.dtb", "qrb5165-rb5.dtb"])
        {
            using var target = new SmcFuzzTarget(new NamedBlob(dtb, File.ReadAllBytes(Path.Combine(TestPaths.SharedDtbDirectory, dtb))));
            var random = new Random(11);
            var mutator = new FuzzMutator(FuzzByteOrder.LittleEndian, target.MaxInputLength);
            var corpus = target.Seeds(random).ToList();
            for (var i = 0; i < 40; i++)
            {
                var input = i % 2 == 0 ? target.Generate(random)! : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus[random.Next(corpus.Count)], random);
                corpus.Add(input);
                var failure = FuzzEngine.Replay(target, input);
                Assert.True(failure is null, $"{dtb} input {i}: {failure?.Signature}");
            }
        }
    }
}
