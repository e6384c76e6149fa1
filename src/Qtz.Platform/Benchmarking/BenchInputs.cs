using Qtz.DeviceTree;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;

namespace Qtz.Platform.Benchmarking;

/// <summary>Generated inputs for the comparisons, written into the run's temp directory.</summary>
internal static class BenchInputs
{
    /// <summary>A signed (v6, P-384) image of about <paramref name="size"/> bytes in four loadable segments; returns its path and root hash.</summary>
    public static (string Path, byte[] RootSha384) SignedImage(string directory, ulong size)
    {
        var unsignedPath = Path.Combine(directory, "unsigned.mbn");
        var segment = (long)Math.Max(4096, size / 4);
        using (var file = File.Create(unsignedPath))
            new UnsignedImageBuilder { SegmentSizes = [segment, segment, segment, segment], ZeroFillSize = 0, Seed = 7 }.Write(file);
        using var keys = SigningKeys.Generate(SigningKeyType.P384);
        var signedPath = Path.Combine(directory, "bench.mbn");
        using (var image = FirmwareImage.Open(unsignedPath))
            FirmwareSigner.Sign(image, keys, new SignOptions { Version = 6, SoftwareId = 0x17 }, signedPath);
        File.Delete(unsignedPath);
        return (signedPath, keys.RootSha384);
    }

    /// <summary><paramref name="count"/> blobs of a few hundred nodes each (about the size of a board DTB).</summary>
    public static IReadOnlyList<string> DeviceTrees(string directory, int count)
    {
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var tree = new DtTree();
            tree.Root.SetCells("#address-cells", 2);
            tree.Root.SetCells("#size-cells", 2);
            tree.Root.SetString("model", $"qtz bench board {i}");
            var soc = tree.Root.AddChild("soc@0");
            for (var n = 0; n < 600; n++)
            {
                var node = soc.AddChild($"device@{0x1000_0000 + (n * 0x1000):x}");
                node.SetString("compatible", n % 3 == 0 ? "qcom,sa8775p-adsp-pas" : "vendor,device-" + (n % 17));
                node.SetCells("reg", 0, (uint)(0x1000_0000 + (n * 0x1000)), 0, 0x1000);
                node.SetCells("interrupts", 0, (uint)n, 4);
                node.SetCells("phandle", (uint)(n + 1));
                if (n > 0) node.SetCells("iommus", (uint)n, (uint)(0x3000 + n), 0);
                node.SetProperty("status", DtValues.String(n % 5 == 0 ? "disabled" : "okay"));
            }

            var path = Path.Combine(directory, $"board{i:D3}.dtb");
            File.WriteAllBytes(path, tree.ToBlob());
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>An erased flash image and a data file of the same size (random bytes) to program into it.</summary>
    public static (string Image, string Data) Flash(string directory, ulong size)
    {
        var image = Path.Combine(directory, "flash.img");
        var data = Path.Combine(directory, "data.bin");
        var chunk = new byte[1 << 20];
        var random = new Random(9);
        using (var f = File.Create(image))
        using (var d = File.Create(data))
        {
            for (ulong written = 0; written < size; written += (ulong)chunk.Length)
            {
                var n = (int)Math.Min((ulong)chunk.Length, size - written);
                chunk.AsSpan().Fill(0xFF);
                f.Write(chunk, 0, n);
                random.NextBytes(chunk);
                d.Write(chunk, 0, n);
            }
        }

        return (image, data);
    }
}
