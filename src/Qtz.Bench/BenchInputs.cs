using Qtz.Platform.Socs;
using Qtz.DeviceTree;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;
using Qtz.Platform.Boards;
using Qtz.Platform.FirmwareLoader;
using Qtz.Platform.IO;
using Qtz.DeviceTree.Model;

namespace Qtz.Bench;

/// <summary>One DSP image of a board as a file, and the PAS id TrustZone authenticates it for.</summary>
public sealed record BenchBoardImage(string Path, uint PasId);

/// <summary>Generated inputs for the comparisons (also used by bench/Qtz.Benchmarks' <c>fw-image</c> mode).</summary>
public static class BenchInputs
{
    /// <summary>
    /// A test-signed image of about <paramref name="size"/> bytes in <paramref name="segments"/> equal
    /// loadable segments, streamed to disk (a 1 GiB image never sits in memory): hash segment
    /// <paramref name="version"/> with P-384 keys for v6/v7 (SHA-384 table) and RSA for v3/v5 (SHA-256).
    /// Returns its path and the root certificate's SHA-384 (for <c>--root-hash</c>).
    /// </summary>
    public static (string Path, byte[] RootSha384) SignedImage(string path, ulong size, int version = 6, int segments = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 1);
        var unsignedPath = path + ".unsigned";
        var segment = (long)Math.Max(4096, size / (ulong)segments);
        using (var file = File.Create(unsignedPath))
            new UnsignedImageBuilder { SegmentSizes = Enumerable.Repeat(segment, segments).ToArray(), ZeroFillSize = 0, Seed = version }.Write(file);
        using var keys = SigningKeys.Generate(version >= 6 ? SigningKeyType.P384 : SigningKeyType.Rsa2048);
        using (var image = FirmwareImage.Open(unsignedPath))
            AtomicFiles.Write(path, s => FirmwareSigner.Sign(image, keys, new SignOptions { Version = version, SoftwareId = 0x17 }, s));
        File.Delete(unsignedPath);
        return (path, keys.RootSha384);
    }

    /// <summary>
    /// The five images <c>qtz boot</c> (no arguments) generates in memory, written under
    /// <paramref name="directory"/> at their firmware-name paths, so <c>qtz boot --firmware</c> and
    /// <c>qtz fw verify</c> read the very same bytes.
    /// </summary>
    public static IReadOnlyList<BenchBoardImage> DefaultBoardImages(string directory)
    {
        var board = Board.Build();
        var generated = (DefaultFirmware)board.Firmware;
        return board.Remoteprocs.Select(r =>
        {
            var name = r.FirmwareName ?? r.Data.FirmwareName;
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, generated.Bytes(name));
            return new BenchBoardImage(path, r.PasId);
        }).ToArray();
    }

    /// <summary>
    /// The files a board built from <paramref name="dtb"/> (null: the embedded one) would request from
    /// <paramref name="firmwareDirectory"/>: each PAS remoteproc's firmware-name, or the SoC default
    /// bare and under qcom/SOC/, the first that exists.
    /// </summary>
    public static IReadOnlyList<BenchBoardImage> BoardImages(string firmwareDirectory, string? dtb)
    {
        var board = Board.Build(new BoardOptions { FirmwareDirectory = firmwareDirectory, Dtb = dtb is null ? null : new NamedBlob(dtb, File.ReadAllBytes(dtb)) });
        return board.Remoteprocs.Select(r =>
        {
            var candidates = FirmwareSource.Candidates(r.FirmwareName, r.Data.FirmwareName, r.Soc);
            var path = candidates.Select(c => Path.Combine(firmwareDirectory, c)).FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"{r.Name}: none of {string.Join(", ", candidates)} is in {firmwareDirectory}");
            return new BenchBoardImage(path, r.PasId);
        }).ToArray();
    }

    /// <summary>A PAS compatible from the SoC tables (the bench trees only need a realistic string).</summary>
    private static string BenchPasCompatible => SocCatalog.Linux.Compatibles.First();

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
                node.SetString("compatible", n % 3 == 0 ? BenchPasCompatible : "vendor,device-" + (n % 17));
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
