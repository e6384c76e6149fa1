using System.Diagnostics.CodeAnalysis;

namespace Qtz.Platform.Boards;

/// <summary>A board cannot be built from what it was given (a node missing, a carveout outside RAM, no firmware).</summary>
public sealed class BoardException : FormatException
{
    public BoardException()
    {
    }

    public BoardException(string message)
        : base(message)
    {
    }

    public BoardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [DoesNotReturn]
    internal static void Throw(string message) => throw new BoardException(message);
}
