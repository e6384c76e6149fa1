using System.Text;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// Stdout as one buffered UTF-8 writer, for a command that prints its whole result at the end (dt dump,
/// fw verify): the text leaves in as few write calls as fit, where <c>Console.Out</c> flushes every line,
/// and without <c>Console.Out</c>'s encoding lookup. Flush before writing to stderr, so the two streams
/// keep their order on a terminal.
/// </summary>
internal static class StandardOutput
{
    // 16 Ki chars: a few writes for a DTS of 100+ KiB, and small buffers (a buffer is memory the runtime zeroes)
    public static StreamWriter Open() => new(Console.OpenStandardOutput(), new UTF8Encoding(false), 16 << 10);
}
