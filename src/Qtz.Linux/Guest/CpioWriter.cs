using System.Globalization;
using System.Text;

namespace Qtz.Linux.Guest;

/// <summary>
/// Writes a cpio archive in the "newc" format Linux's initramfs unpacker reads (header magic 070701,
/// 13 eight-digit hex fields, name and data each padded to 4 bytes, "TRAILER!!!" last). Archives may
/// be concatenated: the kernel unpacks one after the other, later entries replacing earlier ones —
/// which is how a run's script joins the base initramfs.
/// </summary>
public sealed class CpioWriter : IDisposable
{
    private const int ModeDirectory = 0x4000;
    private const int ModeFile = 0x8000;
    private const int ModeSymlink = 0xA000;
    private const int ModeCharDevice = 0x2000;
    private readonly Stream _output;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private uint _inode = 1;
    private long _written;
    private bool _finished;

    public CpioWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Adds a directory and, first, any missing parents.</summary>
    public void AddDirectory(string path, int permissions = 0x1ED)
    {
        path = Normalise(path);
        if (path.Length == 0 || !_directories.Add(path)) return;
        var slash = path.LastIndexOf('/');
        if (slash > 0)
        {
            _directories.Remove(path);
            AddDirectory(path[..slash]);
            _directories.Add(path);
        }

        Entry(path, ModeDirectory | permissions, []);
    }

    public void AddFile(string path, ReadOnlySpan<byte> contents, int permissions = 0x1A4)
    {
        path = Normalise(path);
        AddParent(path);
        Entry(path, ModeFile | permissions, contents);
    }

    public void AddFileFrom(string path, string hostFile, int? permissions = null) =>
        AddFile(path, File.ReadAllBytes(hostFile), permissions ?? (IsExecutable(hostFile) ? 0x1ED : 0x1A4));

    public void AddSymlink(string path, string target)
    {
        path = Normalise(path);
        AddParent(path);
        Entry(path, ModeSymlink | 0x1FF, Encoding.UTF8.GetBytes(target));
    }

    /// <summary>A character device node (the kernel opens /dev/console before devtmpfs is mounted).</summary>
    public void AddCharDevice(string path, int major, int minor, int permissions = 0x180)
    {
        path = Normalise(path);
        AddParent(path);
        Entry(path, ModeCharDevice | permissions, [], major, minor);
    }

    /// <summary>Writes the trailer; the archive is then complete.</summary>
    public void Finish()
    {
        if (_finished) return;
        Entry("TRAILER!!!", 0, []);
        _finished = true;
        _output.Flush();
    }

    public void Dispose() => Finish();

    private static string Normalise(string path) => path.Replace('\\', '/').Trim('/');

    private static bool IsExecutable(string file) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;

    private void AddParent(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash > 0) AddDirectory(path[..slash]);
    }

    private void Entry(string name, int mode, ReadOnlySpan<byte> data, int rdevMajor = 0, int rdevMinor = 0)
    {
        if (_finished) throw new InvalidOperationException("the cpio archive is already finished");
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var header = new StringBuilder("070701", 110);
        foreach (var field in new long[] { _inode++, mode, 0, 0, (mode & ModeDirectory) != 0 ? 2 : 1, 0, data.Length, 0, 0, rdevMajor, rdevMinor, nameBytes.Length, 0 })
            header.Append(field.ToString("X8", CultureInfo.InvariantCulture));
        Write(Encoding.ASCII.GetBytes(header.ToString()));
        Write(nameBytes);
        Pad();
        Write(data);
        Pad();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _written += bytes.Length;
    }

    private void Pad()
    {
        Span<byte> zeros = stackalloc byte[4];
        zeros.Clear();
        var pad = (int)((4 - (_written & 3)) & 3);
        Write(zeros[..pad]);
    }
}
