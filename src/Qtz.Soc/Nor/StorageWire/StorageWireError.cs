using System.Diagnostics.CodeAnalysis;

namespace Qtz.Soc.Nor.StorageWire;

/// <summary>The one throw helper of the storage wire records.</summary>
internal static class StorageWireError
{
    [DoesNotReturn]
    public static void Truncated(string record, int needed, int got) =>
        throw new InvalidDataException($"{record} needs {needed} bytes, got {got}");
}
