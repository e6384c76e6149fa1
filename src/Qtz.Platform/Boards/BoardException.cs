using System.Diagnostics.CodeAnalysis;
using Qtz.Soc.Errors;

namespace Qtz.Platform.Boards;

/// <summary>A board cannot be built from what it was given (a node missing, a carveout outside RAM, no firmware): bad input.</summary>
public sealed class BoardException : QtzException
{
    public BoardException()
        : this("the board cannot be built from its inputs")
    {
    }

    public BoardException(string message)
        : base(ErrorKind.BadInput, message)
    {
    }

    public BoardException(string message, Exception innerException)
        : base(ErrorKind.BadInput, message, innerException)
    {
    }

    [DoesNotReturn]
    internal static void Throw(string message) => throw new BoardException(message);
}
