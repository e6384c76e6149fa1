using BenchmarkDotNet.Attributes;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;

namespace Qtz.Benchmarks.Firmware;

/// <summary>
/// Verifying a 64 MiB test-signed image held in memory (8 segments): v5 (SHA-256, RSA-PSS) and
/// v6 (SHA-384, ECDSA P-384), on one thread and with segments hashed on two.
/// </summary>
[MemoryDiagnoser]
public class FirmwareVerifyBenchmarks
{
    private byte[] image = [];

    [Params(5, 6)]
    public int Version { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var unsigned = new UnsignedImageBuilder { SegmentSizes = Enumerable.Repeat(8L << 20, 8).ToArray() }.Build();
        using var keys = SigningKeys.Generate(Version >= 6 ? SigningKeyType.P384 : SigningKeyType.Rsa2048);
        using var fw = FirmwareImage.FromMemory(unsigned);
        image = FirmwareSigner.Sign(fw, keys, new SignOptions { Version = Version });
    }

    [Benchmark]
    public bool Verify()
    {
        using var fw = FirmwareImage.FromMemory(image);
        return FirmwareVerifier.Verify(fw, new VerifyOptions { Threads = Threads }).Passed;
    }
}
