using System.Globalization;
using Qtz.Bench;

namespace Qtz.Benchmarks.Firmware;

/// <summary>
/// `fw-image OUT.mbn VERSION SIZE_MIB [SEGMENTS]`: writes the test-signed image <c>qtz bench</c> uses
/// (<see cref="BenchInputs.SignedImage"/>: P-384 keys for v6/v7, RSA for v3/v5) for comparisons by
/// hand. Prints the root's SHA-384. Big images belong in /tmp and are never committed.
/// </summary>
internal static class FwImageGenerator
{
    public static bool TryRun(string[] args)
    {
        if (args.Length < 3 || args[0] != "fw-image")
            return false;
        var version = int.Parse(args[2], CultureInfo.InvariantCulture);
        var mib = args.Length > 3 ? ulong.Parse(args[3], CultureInfo.InvariantCulture) : 1024;
        var segments = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8;
        var (_, root) = BenchInputs.SignedImage(args[1], mib << 20, version, segments);
        Console.WriteLine(Convert.ToHexStringLower(root));
        return true;
    }
}
