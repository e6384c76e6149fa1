using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Qtz.DeviceTree;

/// <remarks>System.IO.InvalidDataException is sealed, so malformed-input errors here derive from
/// FormatException, which the CLI maps to exit 2 like InvalidDataException.</remarks>
/// <summary>A blob is not a well-formed flattened device tree; <see cref="Offset"/> says where it went wrong.</summary>
public sealed class FdtFormatException : FormatException
{
    public FdtFormatException(string message, long offset) : base(message) => Offset = offset;

    public FdtFormatException() { }

    public FdtFormatException(string message) : base(message) { }

    public FdtFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Byte offset in the blob where the problem was found (-1 when not tied to one place).</summary>
    public long Offset { get; } = -1;
}

/// <summary>A property's value does not have the shape its binding needs (wrong length, absurd cell count, dangling phandle).</summary>
public sealed class DtValueException : FormatException
{
    public DtValueException(string message, string nodePath) : base(message) => NodePath = nodePath;

    public DtValueException() { }

    public DtValueException(string message) : base(message) { }

    public DtValueException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The DT path of the node whose property was wrong.</summary>
    public string NodePath { get; } = "";
}

/// <summary>An overlay cannot be applied to a base tree (what fdtoverlay reports as FDT_ERR_*), with the reason.</summary>
public sealed class DtOverlayException : FormatException
{
    public DtOverlayException(string message) : base(message) { }

    public DtOverlayException() { }

    public DtOverlayException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A path, node or property asked for by a caller does not exist.</summary>
public sealed class DtNotFoundException : ArgumentException
{
    public DtNotFoundException(string message) : base(message) { }

    public DtNotFoundException() { }

    public DtNotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The one place this part throws from, so hot paths stay small and messages stay uniform.</summary>
internal static class DtThrow
{
    [DoesNotReturn]
    public static void Format(long offset, string what) =>
        throw new FdtFormatException(string.Create(CultureInfo.InvariantCulture, $"malformed FDT at offset 0x{offset:x}: {what}"), offset);

    [DoesNotReturn]
    public static void Value(string nodePath, string what) =>
        throw new DtValueException($"{nodePath}: {what}", nodePath);

    [DoesNotReturn]
    public static void Overlay(string what) => throw new DtOverlayException("overlay cannot be applied: " + what);

    [DoesNotReturn]
    public static void NotFound(string what) => throw new DtNotFoundException(what);
}
