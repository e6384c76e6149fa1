using System.Globalization;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;

namespace Qtz.Benchmarks.Firmware;

/// <summary>
/// `fw-image OUT.mbn VERSION SIZE_MIB [SEGMENTS]`: writes a test-signed image of about SIZE_MIB MiB
/// (P-384 keys for v6/v7, RSA for v3/v5) for the whole-process comparison with openssl dgst. Prints the
/// root's SHA-384. Big images belong in /tmp and are never committed.
/// </summary>
internal static class FwImageGenerator
{
    public static bool TryRun(string[] args)
    {
        if (args.Length < 3 || args[0] != "fw-image")
            return false;
        var output = args[1];
        var version = int.Parse(args[2], CultureInfo.InvariantCulture);
        var mib = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 1024;
        var segments = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8;
        var unsigned = output + ".unsigned";
        using (var file = File.Create(unsigned))
            new UnsignedImageBuilder { SegmentSizes = Enumerable.Repeat((mib << 20) / segments, segments).ToArray(), Seed = version }.Write(file);
        using var keys = SigningKeys.Generate(version >= 6 ? SigningKeyType.P384 : SigningKeyType.Rsa2048);
        using (var image = FirmwareImage.Open(unsigned))
            FirmwareSigner.Sign(image, keys, new SignOptions { Version = version, SoftwareId = 0x17 }, output);
        File.Delete(unsigned);
        Console.WriteLine(Convert.ToHexStringLower(keys.RootSha384));
        return true;
    }
}
