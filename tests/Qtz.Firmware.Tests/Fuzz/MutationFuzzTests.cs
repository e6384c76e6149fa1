using System.Diagnostics;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Fuzz;

/// <summary>Runs seeded mutants through the whole verifier: only typed input errors or reports may come out.</summary>
internal static class FuzzRunner
{
    public static void Run(int version, SigningKeyType type, int mutants, int randomSeed)
    {
        var seed = TestImages.Signed(version, type, unsignedImage: TestImages.Unsigned(randomSeed, [256, 100, 64]));
        int hashStart, hashLength, headerLength;
        using (var image = FirmwareImage.FromMemory(seed))
        {
            var hash = image.ProgramHeaders[image.HashSegmentIndex];
            (hashStart, hashLength, headerLength) = ((int)hash.Offset, (int)hash.FileSize, (int)image.ProgramHeaders[0].FileSize);
        }

        var mutator = new Mutator(seed, hashStart, hashLength, headerLength, randomSeed);
        // Crypto results are cached: a mutant pays for public-key operations only when it changes their inputs.
        var options = new VerifyOptions { SignatureCache = new SignatureCheckCache() };
        var work = Task.Run(() =>
        {
            for (var i = 0; i < mutants; i++)
            {
                var mutant = mutator.Next();
                try
                {
                    Mutate.TryVerify(mutant, options);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException($"mutant {i} (seed {randomSeed}, v{version} {type}) escaped with {e.GetType().Name}: {e.Message}", e);
                }
            }
        });
        // A hang guard, not a performance assertion: the normal run takes seconds.
        Assert.True(work.Wait(TimeSpan.FromMinutes(LongRuns.Enabled ? 120 : 10)), "fuzzing hung");
    }
}

/// <summary>70,000 mutants of RSA-signed seeds (cheap public-key checks) in the normal suite; 40× more with QTZ_LONG=1.</summary>
public class MutationFuzzRsaTests
{
    [Theory]
    [InlineData(3, 20_000)]
    [InlineData(5, 20_000)]
    [InlineData(6, 15_000)]
    [InlineData(7, 15_000)]
    public void Rsa_signed_mutants_give_only_reports_or_typed_errors(int version, int mutants) =>
        FuzzRunner.Run(version, SigningKeyType.Rsa2048, LongRuns.Iterations(mutants, mutants * 40), 10 + version);
}

/// <summary>30,000 mutants of ECDSA-signed seeds in the normal suite; 40× more with QTZ_LONG=1.</summary>
public class MutationFuzzEcdsaTests
{
    [Theory]
    [InlineData(6, 15_000)]
    [InlineData(7, 15_000)]
    public void Ecdsa_signed_mutants_give_only_reports_or_typed_errors(int version, int mutants) =>
        FuzzRunner.Run(version, SigningKeyType.P384, LongRuns.Iterations(mutants, mutants * 40), 20 + version);
}
