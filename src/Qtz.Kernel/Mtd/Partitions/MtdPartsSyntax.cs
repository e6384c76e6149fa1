using System.Globalization;

namespace Qtz.Kernel.Mtd.Partitions;

/// <summary>The partitions <c>mtdparts=</c> gives one device.</summary>
public sealed record MtdPartsDefinition(string MtdId, IReadOnlyList<MtdPartition> Partitions);

/// <summary>
/// The cmdlinepart grammar (spec/mtd.md §1.9):
/// <c>mtdparts=&lt;mtd-id&gt;:&lt;size&gt;[@&lt;offset&gt;][(&lt;name&gt;)][ro][lk][slc][,…][;&lt;mtd-id&gt;:…]</c>.
/// Numbers are memparse's: C-style base (0x hex, leading 0 octal) and an optional K/M/G/T/P/E suffix.
/// </summary>
public static class MtdPartsSyntax
{
    // A malformed string throws InvalidDataException (sealed, so no subtype) naming the character.

    /// <summary>cmdlinepart's SIZE_REMAINING, what "-" means before it is resolved.</summary>
    public const ulong SizeRemaining = ulong.MaxValue;

    public static IReadOnlyList<MtdPartsDefinition> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.StartsWith("mtdparts=", StringComparison.Ordinal) ? text["mtdparts=".Length..] : text;
        var baseColumn = text.Length - s.Length;
        var result = new List<MtdPartsDefinition>();
        var pos = 0;
        while (pos < s.Length)
        {
            var end = s.IndexOf(';', pos);
            if (end < 0) end = s.Length;
            var paren = s.IndexOf('(', pos, end - pos);
            var colon = s.LastIndexOf(':', (paren < 0 ? end : paren) - 1, (paren < 0 ? end : paren) - pos);
            if (colon < 0) Fail(text, baseColumn + pos, "no mtd-id (expected '<mtd-id>:<partitions>')");
            var id = s[pos..colon];
            var parts = new List<MtdPartition>();
            var p = colon + 1;
            while (true)
            {
                p = ParsePart(text, baseColumn, s, p, parts.Count, out var part);
                parts.Add(part);
                if (p < s.Length && s[p] == ',')
                {
                    if (part.Size == SizeRemaining) Fail(text, baseColumn + p, "no partitions allowed after a fill-up partition");
                    p++;
                    continue;
                }

                break;
            }

            if (p < s.Length && s[p] != ';') Fail(text, baseColumn + p, $"bad character after partition ({s[p]})");
            result.Add(new MtdPartsDefinition(id, parts));
            pos = p + 1;
        }

        if (result.Count == 0) Fail(text, 0, "no partition definitions");
        return result;
    }

    private static int ParsePart(string text, int baseColumn, string s, int p, int index, out MtdPartition part)
    {
        ulong size;
        if (p < s.Length && s[p] == '-')
        {
            size = SizeRemaining;
            p++;
        }
        else
        {
            var start = p;
            size = MemParse(s, ref p);
            if (p == start) Fail(text, baseColumn + p, "expected a partition size or '-'");
            if (size == 0) Fail(text, baseColumn + start, "partition has size 0");
        }

        var offset = MtdPartition.OffsetAppend;
        if (p < s.Length && s[p] == '@')
        {
            var start = ++p;
            offset = MemParse(s, ref p);
            if (p == start) Fail(text, baseColumn + p, "expected an offset after '@'");
        }

        string? name = null;
        if (p < s.Length && s[p] == '(')
        {
            var close = s.IndexOf(')', p + 1);
            if (close < 0) Fail(text, baseColumn + p, "no closing ) found in partition name");
            name = s[(p + 1)..close];
            p = close + 1;
        }

        var mask = MtdFlags.None;
        while (true)
        {
            if (string.CompareOrdinal(s, p, "ro", 0, 2) == 0) { mask |= MtdFlags.Writeable; p += 2; }
            else if (string.CompareOrdinal(s, p, "lk", 0, 2) == 0) { mask |= MtdFlags.PowerupLock; p += 2; }
            else if (string.CompareOrdinal(s, p, "slc", 0, 3) == 0) p += 3; // SLC emulation: MLC NAND only
            else break;
        }

        part = new MtdPartition(name ?? string.Create(CultureInfo.InvariantCulture, $"Partition_{index:D3}"), size, offset, mask);
        return p;
    }

    /// <summary>memparse: a number in C notation with an optional binary suffix; stops at the first other character.</summary>
    public static ulong MemParse(string s, ref int p)
    {
        ArgumentNullException.ThrowIfNull(s);
        var start = p;
        ulong value = 0;
        var radix = 10;
        if (p + 1 < s.Length && s[p] == '0' && (s[p + 1] is 'x' or 'X') && p + 2 < s.Length && Uri.IsHexDigit(s[p + 2])) { radix = 16; p += 2; }
        else if (p < s.Length && s[p] == '0') radix = 8;
        while (p < s.Length && DigitValue(s[p]) is var d && d >= 0 && d < radix)
        {
            value = checked(value * (ulong)radix + (ulong)d);
            p++;
        }

        if (p == start) return 0;
        if (p < s.Length)
        {
            var shift = char.ToUpperInvariant(s[p]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, 'P' => 50, 'E' => 60, _ => 0 };
            if (shift != 0)
            {
                value = checked(value << shift) >> shift == value ? value << shift : throw new OverflowException($"'{s[start..(p + 1)]}' does not fit in 64 bits");
                p++;
            }
        }

        return value;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static void Fail(string text, int column, string what) =>
        throw new InvalidDataException($"mtdparts: {what} at character {column + 1} of '{text}'");
}
