namespace Qtz.Soc.Errors;

/// <summary>What a failure means for the person who asked: the tool maps each kind to one exit code.</summary>
public enum ErrorKind
{
    /// <summary>The input is wrong (a file, a device tree, an argument): the user can fix it. Exit 2.</summary>
    BadInput,

    /// <summary>The thing being checked failed (an authentication, a boot, a script's expectation). Exit 1.</summary>
    CheckFailed,

    /// <summary>Well-formed input asking for something the model does not do. Exit 2: nothing was changed.</summary>
    Unsupported,

    /// <summary>A bug in qtz. Exit 3.</summary>
    Internal,
}

/// <summary>
/// The one base of qtz's own errors above the format parsers (which keep <see cref="FormatException"/>,
/// always bad input). It lives in the lowest part so that every part can throw it; the message says what
/// was wrong, where, and what was expected.
/// </summary>
public class QtzException : Exception
{
    public QtzException()
        : this(ErrorKind.Internal, "internal error")
    {
    }

    public QtzException(string message)
        : this(ErrorKind.Internal, message)
    {
    }

    public QtzException(string message, Exception innerException)
        : this(ErrorKind.Internal, message, innerException)
    {
    }

    public QtzException(ErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public ErrorKind Kind { get; }
}
