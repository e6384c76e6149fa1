using System.Diagnostics.CodeAnalysis;

namespace Qtz.Firmware;

/// <summary>
/// A firmware image (ELF, MDT/MBN container, hash segment, certificate) is malformed. The message names
/// the file offset or structure and what was expected, so a user can act on it.
/// (System.IO.InvalidDataException is sealed, so this derives from FormatException, also exit 2 in the CLI.)
/// </summary>
public sealed class FirmwareFormatException : FormatException
{
    public FirmwareFormatException() { }

    public FirmwareFormatException(string message) : base(message) { }

    public FirmwareFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The one throw helper of the firmware part: keeps parsing hot paths small.</summary>
internal static class FirmwareThrow
{
    [DoesNotReturn]
    public static void Format(string message) => throw new FirmwareFormatException(message);

    [DoesNotReturn]
    public static T Format<T>(string message) => throw new FirmwareFormatException(message);

    /// <summary>Requires [offset, offset+length) to lie inside [0, size); 64-bit so nothing wraps.</summary>
    public static void RequireRange(ulong offset, ulong length, ulong size, string what)
    {
        if (offset > size || length > size - offset)
            Format($"{what}: bytes [0x{offset:X}, +0x{length:X}) lie outside the 0x{size:X} bytes available");
    }
}
