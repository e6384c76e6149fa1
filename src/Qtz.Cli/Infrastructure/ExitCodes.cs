namespace Qtz.Cli.Infrastructure;

/// <summary>The exit codes every qtz command uses (also printed by <c>qtz --help</c>).</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done and every check passed.</summary>
    public const int Ok = 0;

    /// <summary>The thing being checked failed (a signature, a boot, a binding rule, a script assertion).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input or usage: malformed file, bad argument, out-of-range offset. Nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>A bug in qtz. Please report it with the command line.</summary>
    public const int InternalError = 3;

    public const string HelpText =
        "Exit codes: 0 ok; 1 the checked thing failed; 2 bad input or usage (nothing changed); 3 internal error (a qtz bug).";
}
