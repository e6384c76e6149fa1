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
        var sb = new StringBuilder(256 * 1024);
        Print(tree, sb);
        return sb.ToString();
    }

    public static void Print(DtTree tree, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(output);
        output.Append("/dts-v1/;\n\n");
        foreach (var entry in tree.ReserveEntries)
            output.Append(CultureInfo.InvariantCulture, $"/memreserve/\t0x{entry.Address:x16} 0x{entry.Size:x16};\n");
        PrintNode(tree.Root, 0, output);
    }

    /// <summary>One node and its subtree at nesting <paramref name="level"/>, as dtc prints it inside a tree.</summary>
    public static string PrintNode(DtNode node, int level = 0)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sb = new StringBuilder();
        PrintNode(node, level, sb);
        return sb.ToString();
    }

    /// <summary>One property as dtc prints it: <c>name = value;</c> or <c>name;</c> (no indent, no newline).</summary>
    public static string PrintProperty(DtProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var sb = new StringBuilder(property.Name);
        PrintValue(property.Span, sb);
        sb.Length--;
        return sb.ToString();
    }

    /// <summary>How dtc would show this value: "string", "cells" or "bytes" (empty values are "empty").</summary>
    public static string GuessKind(ReadOnlySpan<byte> value) =>
        value.IsEmpty ? "empty" : DtsValueKind.Guess(value).ToString().ToLowerInvariant();

    private static void PrintNode(DtNode node, int level, StringBuilder sb)
    {
        sb.Append('\t', level);
        sb.Append(node.IsRoot ? "/" : node.Name).Append(" {\n");
        foreach (var p in node.Properties)
        {
            sb.Append('\t', level + 1).Append(p.Name);
            PrintValue(p.Span, sb);
        }

        foreach (var child in node.Children)
        {
            sb.Append('\n');
            PrintNode(child, level + 1, sb);
        }

        sb.Append('\t', level).Append("};\n");
    }

    // Printing is the whole job of a one-shot `qtz dt dump`: skip the slow first JIT tier for the hot loops.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrintValue(ReadOnlySpan<byte> value, StringBuilder sb)
    {
        if (value.Length == 0)
        {
            sb.Append(";\n");
            return;
        }

        sb.Append(" = ");
        switch (DtsValueKind.Guess(value))
        {
            case DtsValueKind.Kind.String:
                AppendString(value, sb);
                break;
            case DtsValueKind.Kind.Cells:
                sb.Append('<');
                for (var i = 0; i < value.Length; i += 4)
                {
                    if (i > 0) sb.Append(' ');
                    AppendHex(sb, BinaryPrimitives.ReadUInt32BigEndian(value[i..]));
                }

                sb.Append('>');
                break;
            default:
                sb.Append('[');
                for (var i = 0; i < value.Length; i++)
                {
                    if (i > 0) sb.Append(' ');
                    sb.Append(HexDigits[value[i] >> 4]).Append(HexDigits[value[i] & 0xf]);
                }

                sb.Append(']');
                break;
        }

        sb.Append(";\n");
    }

    private const string HexDigits = "0123456789abcdef";

    /// <summary>"0x%02x": at least two digits, no allocation.</summary>
    private static void AppendHex(StringBuilder sb, uint value)
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
        sb.Append(digits[(10 - n)..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AppendString(ReadOnlySpan<byte> value, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var b in value[..^1])
        {
            switch (b)
            {
                case 0x07: sb.Append("\\a"); break;
                case 0x08: sb.Append("\\b"); break;
                case 0x09: sb.Append("\\t"); break;
                case 0x0a: sb.Append("\\n"); break;
                case 0x0b: sb.Append("\\v"); break;
                case 0x0c: sb.Append("\\f"); break;
                case 0x0d: sb.Append("\\r"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case 0: sb.Append("\\0"); break;
                default:
                    if (DtsValueKind.IsPrintable(b)) sb.Append((char)b);
                    else sb.Append("\\x").Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xf]);
                    break;
            }
        }

        sb.Append('"');
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
