using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Source;

/// <summary>
/// Prints a tree exactly as <c>dtc -I dtb -O dts</c> 1.6.1 does: tabs, a blank line before each child,
/// and each value's type guessed from its bytes (string, 32-bit cells or bytes) because a blob carries
/// no types.
/// </summary>
public static class DtsPrinter
{
    public static string Print(DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        using var text = new StringWriter(new StringBuilder(64 * 1024), CultureInfo.InvariantCulture);
        Print(tree, text);
        return text.ToString();
    }

    public static void Print(DtTree tree, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var text = new StringWriter(output, CultureInfo.InvariantCulture);
        Print(tree, text);
    }

    /// <summary>
    /// Prints straight into <paramref name="output"/>: a one-shot <c>qtz dt dump</c> streams the text to
    /// stdout instead of building it whole first (no copy of the whole text, no large buffers to zero).
    /// </summary>
    public static void Print(DtTree tree, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(output);
        output.Write("/dts-v1/;\n\n");
        foreach (var entry in tree.ReserveEntries)
            output.Write(string.Create(CultureInfo.InvariantCulture, $"/memreserve/\t0x{entry.Address:x16} 0x{entry.Size:x16};\n"));
        PrintNode(tree.Root, 0, output);
    }

    /// <summary>One node and its subtree at nesting <paramref name="level"/>, as dtc prints it inside a tree.</summary>
    public static string PrintNode(DtNode node, int level = 0)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        PrintNode(node, level, text);
        return text.ToString();
    }

    /// <summary>One property as dtc prints it: <c>name = value;</c> or <c>name;</c> (no indent, no newline).</summary>
    public static string PrintProperty(DtProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        text.Write(property.Name);
        PrintValue(property.Span, text);
        var sb = text.GetStringBuilder();
        sb.Length--;
        return sb.ToString();
    }

    /// <summary>How dtc would show this value: "string", "cells" or "bytes" (empty values are "empty").</summary>
    public static string GuessKind(ReadOnlySpan<byte> value) =>
        value.IsEmpty ? "empty" : DtsValueKind.Guess(value).ToString().ToLowerInvariant();

    private static void PrintNode(DtNode node, int level, TextWriter w)
    {
        Indent(w, level);
        w.Write(node.IsRoot ? "/" : node.Name);
        w.Write(" {\n");
        foreach (var p in node.Properties)
        {
            Indent(w, level + 1);
            w.Write(p.Name);
            PrintValue(p.Span, w);
        }

        foreach (var child in node.Children)
        {
            w.Write('\n');
            PrintNode(child, level + 1, w);
        }

        Indent(w, level);
        w.Write("};\n");
    }

    private static void Indent(TextWriter w, int level)
    {
        for (var i = 0; i < level; i++) w.Write('\t');
    }

    // Printing is the whole job of a one-shot `qtz dt dump`: skip the slow first JIT tier for the hot loops.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrintValue(ReadOnlySpan<byte> value, TextWriter w)
    {
        if (value.Length == 0)
        {
            w.Write(";\n");
            return;
        }

        w.Write(" = ");
        switch (DtsValueKind.Guess(value))
        {
            case DtsValueKind.Kind.String:
                AppendString(value, w);
                break;
            case DtsValueKind.Kind.Cells:
                w.Write('<');
                for (var i = 0; i < value.Length; i += 4)
                {
                    if (i > 0) w.Write(' ');
                    AppendHex(w, BinaryPrimitives.ReadUInt32BigEndian(value[i..]));
                }

                w.Write('>');
                break;
            default:
                w.Write('[');
                Span<char> pair = stackalloc char[3];
                for (var i = 0; i < value.Length; i++)
                {
                    pair[0] = ' ';
                    pair[1] = HexDigits[value[i] >> 4];
                    pair[2] = HexDigits[value[i] & 0xf];
                    w.Write(i > 0 ? pair : pair[1..]);
                }

                w.Write(']');
                break;
        }

        w.Write(";\n");
    }

    private const string HexDigits = "0123456789abcdef";

    /// <summary>"0x%02x": at least two digits, no allocation.</summary>
    private static void AppendHex(TextWriter w, uint value)
    {
        Span<char> digits = stackalloc char[10];
        var n = 0;
        do
        {
            digits[9 - n++] = HexDigits[(int)(value & 0xf)];
            value >>= 4;
        }
        while (value != 0);
        if (n == 1) digits[9 - n++] = '0';
        digits[9 - n++] = 'x';
        digits[9 - n++] = '0';
        w.Write(digits[(10 - n)..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AppendString(ReadOnlySpan<byte> value, TextWriter w)
    {
        w.Write('"');
        foreach (var b in value[..^1])
        {
            switch (b)
            {
                case 0x07: w.Write("\\a"); break;
                case 0x08: w.Write("\\b"); break;
                case 0x09: w.Write("\\t"); break;
                case 0x0a: w.Write("\\n"); break;
                case 0x0b: w.Write("\\v"); break;
                case 0x0c: w.Write("\\f"); break;
                case 0x0d: w.Write("\\r"); break;
                case (byte)'\\': w.Write("\\\\"); break;
                case (byte)'"': w.Write("\\\""); break;
                case 0: w.Write("\\0"); break;
                default:
                    if (DtsValueKind.IsPrintable(b))
                    {
                        w.Write((char)b);
                    }
                    else
                    {
                        w.Write("\\x");
                        w.Write(HexDigits[b >> 4]);
                        w.Write(HexDigits[b & 0xf]);
                    }

                    break;
            }
        }

        w.Write('"');
    }
}

/// <summary>dtc's guess of a blob value's type (treesource.c guess_value_type, 1.6.1).</summary>
internal static class DtsValueKind
{
    public enum Kind { String, Cells, Bytes }

    public static bool IsPrintable(byte b) => b is >= 0x20 and <= 0x7e;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Kind Guess(ReadOnlySpan<byte> value)
    {
        var notString = 0;
        var nuls = 0;
        foreach (var b in value)
        {
            if (!(IsPrintable(b) || b == 0 || b is >= 0x07 and <= 0x0d)) notString++;
            if (b == 0) nuls++;
        }

        if (value[^1] == 0 && notString == 0 && nuls <= value.Length - nuls) return Kind.String;
        return value.Length % 4 == 0 ? Kind.Cells : Kind.Bytes;
    }
}
