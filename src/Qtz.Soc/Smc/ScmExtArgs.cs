using System.Buffers.Binary;

namespace Qtz.Soc.Smc;

/// <summary>
/// The extended-argument buffer whose physical address replaces x5 when a call has more than four
/// arguments (spec/scm-pas.md §1.5): SCM_SMC_N_EXT_ARGS = 7 little-endian entries holding args[3..9],
/// 32 bits wide for SMC32 and 64 bits for SMC64. Both worlds use this one layout.
/// </summary>
public static class ScmExtArgs
{
    /// <summary>SCM_SMC_N_EXT_ARGS = MAX_QCOM_SCM_ARGS - 4 + 1.</summary>
    public const int Entries = ArgInfo.MaxArgs - ArgInfo.RegisterArgs + 1;

    /// <summary>Index of the first argument that travels in the buffer.</summary>
    public const int FirstArg = ArgInfo.RegisterArgs - 1;

    public static int EntryWidth(SmcConvention convention) => convention == SmcConvention.Smc64 ? 8 : 4;

    public static int SizeInBytes(SmcConvention convention) => Entries * EntryWidth(convention);

    /// <summary>Writes args[3..9] (missing ones as zero) into <paramref name="buffer"/>.</summary>
    public static void Encode(ReadOnlySpan<ulong> args, SmcConvention convention, Span<byte> buffer)
    {
        var width = EntryWidth(convention);
        if (buffer.Length < Entries * width)
            throw new ArgumentException($"the ext-args buffer needs {Entries * width} bytes, not {buffer.Length}", nameof(buffer));
        for (var i = 0; i < Entries; i++)
        {
            var argIndex = FirstArg + i;
            var value = argIndex < args.Length ? args[argIndex] : 0;
            if (width == 8) BinaryPrimitives.WriteUInt64LittleEndian(buffer[(i * 8)..], value);
            else BinaryPrimitives.WriteUInt32LittleEndian(buffer[(i * 4)..], (uint)value);
        }
    }

    /// <summary>Reads entry <paramref name="entry"/> (0 = args[3]) from an ext-args buffer.</summary>
    public static ulong Decode(ReadOnlySpan<byte> buffer, SmcConvention convention, int entry)
    {
        var width = EntryWidth(convention);
        var slice = buffer.Slice(entry * width, width);
        return width == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(slice) : BinaryPrimitives.ReadUInt32LittleEndian(slice);
    }
}
