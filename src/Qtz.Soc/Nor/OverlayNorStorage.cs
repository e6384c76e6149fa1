namespace Qtz.Soc.Nor;

/// <summary>
/// A copy-on-write view over another storage: writes land in private 4 KiB copies and the lower
/// storage is never touched. Used for dry runs (how long will this take in virtual time?) and for
/// measuring what a command would change before it changes it.
/// </summary>
public sealed class OverlayNorStorage(INorStorage lower) : INorStorage
{
    private const int Granule = 4096;
    private readonly Dictionary<ulong, byte[]> _copies = [];

    public ulong Length => lower.Length;

    public bool IsReadOnly => false;

    public int CopiedGranules => _copies.Count;

    public void Read(ulong offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var key = offset / Granule;
            var inGranule = (int)(offset % Granule);
            var n = Math.Min(Granule - inGranule, destination.Length);
            if (_copies.TryGetValue(key, out var copy)) copy.AsSpan(inGranule, n).CopyTo(destination);
            else lower.Read(offset, destination[..n]);
            destination = destination[n..];
            offset += (ulong)n;
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            var key = offset / Granule;
            var inGranule = (int)(offset % Granule);
            var n = Math.Min(Granule - inGranule, source.Length);
            if (!_copies.TryGetValue(key, out var copy))
            {
                copy = new byte[Math.Min(Granule, (int)(Length - key * Granule))];
                lower.Read(key * Granule, copy);
                _copies[key] = copy;
            }

            source[..n].CopyTo(copy.AsSpan(inGranule));
            source = source[n..];
            offset += (ulong)n;
        }
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
