using System.Diagnostics.CodeAnalysis;

namespace Qtz.Firmware.ResourceTables;

/// <summary>A remoteproc resource table that cannot be parsed; the message names the offset and the rule.</summary>
public sealed class ResourceTableException : FormatException
{
    public ResourceTableException() { }

    public ResourceTableException(string message) : base(message) { }

    public ResourceTableException(string message, Exception inner) : base(message, inner) { }

    [DoesNotReturn]
    internal static void Throw(string message) => throw new ResourceTableException("resource table: " + message);
}
