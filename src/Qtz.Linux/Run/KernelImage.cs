using System.Buffers.Binary;
using System.IO.Compression;
using Qtz.Linux.Guest;
using Qtz.Linux.Setup;

namespace Qtz.Linux.Run;

/// <summary>
/// The kernel a run boots: Debian's from the cache, a linux-image .deb (its boot/vmlinuz-*), or an
/// arm64 Image from a kernel build (raw, or gzip as Image.gz). Checked to be an arm64 Image (magic
/// "ARM\x64" at 0x38) that fits below the DTB.
/// </summary>
public static class KernelImage
{
    private const uint Arm64Magic = 0x644d_5241; // "ARM\x64", little-endian at offset 0x38

    /// <summary>A raw Image path ready to load (written into <paramref name="workDir"/> when it had to be unpacked).</summary>
    public static string Resolve(string? requested, LinuxCache cache, string workDir)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (requested is null)
        {
            cache.RequireReady();
            return cache.KernelImage;
        }

        if (!File.Exists(requested)) throw new FileNotFoundException($"kernel '{requested}' does not exist", requested);
        var path = requested;
        if (requested.EndsWith(".deb", StringComparison.OrdinalIgnoreCase))
        {
            var unpacked = Path.Combine(workDir, "kernel-deb");
            HostProcess.Check($"dpkg-deb -x {requested}", HostTools.Require(HostTools.DpkgDeb), ["-x", requested, unpacked]);
            var boot = Path.Combine(unpacked, "boot");
            path = Directory.Exists(boot) ? Directory.EnumerateFiles(boot, "vmlinuz-*").FirstOrDefault() ?? "" : "";
            if (path.Length == 0) throw new InvalidDataException($"'{requested}' has no boot/vmlinuz-*: not a linux-image package");
        }

        var head = new byte[64];
        using (var f = File.OpenRead(path)) f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (head[0] == 0x1F && head[1] == 0x8B)
        {
            var raw = Path.Combine(workDir, "Image");
            using (var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
            using (var output = File.Create(raw))
                input.CopyTo(output);
            path = raw;
            using var f = File.OpenRead(path);
            f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(0x38)) != Arm64Magic)
            throw new InvalidDataException($"kernel '{requested}' is not an arm64 Image (no \"ARM\\x64\" magic at 0x38); pass arch/arm64/boot/Image or Image.gz");
        var size = (ulong)new FileInfo(path).Length;
        if (size > GuestMemoryMap.MaxKernelBytes)
            throw new InvalidDataException($"kernel '{requested}' is {size} bytes; at most 0x{GuestMemoryMap.MaxKernelBytes:x} fit below the DTB");
        return path;
    }
}
