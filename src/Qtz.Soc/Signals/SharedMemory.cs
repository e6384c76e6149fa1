using System.Text;

namespace Qtz.Soc.Signals;

/// <summary>
/// SMEM: items identified by (host, item number) that processors share, e.g. the crash-reason string
/// a DSP leaves for Linux (SA8775p ADSP uses item 423 on host 2). Only the bytes matter here; where
/// the items live in DDR is not modelled.
/// </summary>
public sealed class SharedMemory
{
    /// <summary>QCOM_SMEM_HOST_ANY: items visible to every host.</summary>
    public const int HostAny = -1;

    private readonly Lock _gate = new();
    private readonly Dictionary<(int Host, uint Item), byte[]> _items = [];

    public void Write(int host, uint item, ReadOnlySpan<byte> content)
    {
        lock (_gate) _items[(host, item)] = content.ToArray();
    }

    /// <summary>Writes a NUL-terminated ASCII string, as a remote processor's crash handler does.</summary>
    public void WriteString(int host, uint item, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[Encoding.ASCII.GetByteCount(text) + 1];
        Encoding.ASCII.GetBytes(text, bytes);
        Write(host, item, bytes);
    }

    public bool TryGet(int host, uint item, out byte[] content)
    {
        lock (_gate)
        {
            if (_items.TryGetValue((host, item), out var stored) || _items.TryGetValue((HostAny, item), out stored))
            {
                content = stored.ToArray();
                return true;
            }
        }

        content = [];
        return false;
    }

    /// <summary>The item read as a C string (up to the first NUL), or null when absent or empty.</summary>
    public string? ReadString(int host, uint item)
    {
        if (!TryGet(host, item, out var bytes)) return null;
        var end = Array.IndexOf(bytes, (byte)0);
        var text = Encoding.ASCII.GetString(bytes, 0, end < 0 ? bytes.Length : end);
        return text.Length == 0 ? null : text;
    }

    public void Clear(int host, uint item)
    {
        lock (_gate) _items.Remove((host, item));
    }
}
