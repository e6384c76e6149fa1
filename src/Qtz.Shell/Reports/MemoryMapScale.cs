namespace Qtz.Shell.Reports;

/// <summary>
/// A segmented logarithmic address scale: every region edge is a breakpoint; an interval some region
/// covers gets a height that grows with log2 of its size (a 4 KiB bridge stays readable next to 8 GiB
/// of DDR), an interval nothing covers collapses to a small gap. Addresses map to y only at edges,
/// which is all the drawing needs.
/// </summary>
public sealed class MemoryMapScale
{
    public const double MinBand = 16;
    public const double PixelsPerDoubling = 4;
    public const double Gap = 12;

    private readonly Dictionary<UInt128, double> _y = [];

    /// <summary>The tallest a map may be: a screen, whatever the number of regions (bands shrink to fit).</summary>
    public const double MaxHeight = 1200;

    public MemoryMapScale(IEnumerable<(ulong Base, UInt128 End)> ranges, double maxHeight = MaxHeight)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var spans = ranges.ToArray();
        var points = spans.SelectMany(r => new[] { (UInt128)r.Base, r.End }).Distinct().Order().ToArray();
        var y = 0.0;
        for (var i = 0; i < points.Length; i++)
        {
            _y[points[i]] = y;
            if (i + 1 == points.Length)
                break;
            var (from, to) = (points[i], points[i + 1]);
            var covered = spans.Any(r => r.Base <= from && r.End >= to);
            if (covered)
            {
                y += BandHeight(to - from);
            }
            else
            {
                Gaps.Add((y, Gap));
                y += Gap;
            }
        }

        // Thousands of small regions (4 KiB mappings over 2 GiB of DDR) would make the map a long scroll:
        // past maxHeight every band and gap shrinks by the same factor, so order and proportions stay.
        if (y > maxHeight)
        {
            var factor = maxHeight / y;
            foreach (var key in _y.Keys.ToArray()) _y[key] *= factor;
            for (var i = 0; i < Gaps.Count; i++) Gaps[i] = (Gaps[i].Y * factor, Gaps[i].Height * factor);
            y = maxHeight;
        }

        Height = y;
        Breakpoints = points;
    }

    public double Height { get; }

    /// <summary>Every region edge, ascending.</summary>
    public IReadOnlyList<UInt128> Breakpoints { get; }

    /// <summary>Where the scale skips unused address space (y, height).</summary>
    public List<(double Y, double Height)> Gaps { get; } = [];

    public double Y(UInt128 edge) => _y.TryGetValue(edge, out var y)
        ? y
        : throw new ArgumentOutOfRangeException(nameof(edge), $"0x{edge:x} is not a region edge of this scale");

    public static double BandHeight(UInt128 size)
    {
        var pages = Math.Max(1.0, (double)size / 4096.0);
        return MinBand + (PixelsPerDoubling * Math.Log2(pages));
    }
}
