using Qtz.Shell.Reports;

namespace Qtz.Shell;

/// <summary>One parsed statement of a shell script; <see cref="Line"/> is where it was written (from 1).</summary>
public abstract record ShellCommand(int Line)
{
    /// <summary>The remoteproc this command names, checked against the board before the script runs.</summary>
    public virtual string? Remoteproc => null;
}

public sealed record HelpCommand(int Line, string? Topic) : ShellCommand(Line);

public sealed record RprocListCommand(int Line) : ShellCommand(Line);

/// <summary>status, start, stop: one remoteproc, no options.</summary>
public sealed record RprocActionCommand(int Line, RprocAction Action, string Name) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}

public enum RprocAction
{
    Status,
    Start,
    Stop,
}

public sealed record RprocCrashCommand(int Line, string Name, CrashKind Kind) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}

public sealed record RprocRecoveryCommand(int Line, string Name, bool Enabled) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}

public sealed record RprocCoredumpCommand(int Line, string Name, string OutputPath) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}

/// <summary><c>rproc coredump NAME enabled|disabled</c>: the debugfs "coredump" setting recovery follows.</summary>
public sealed record RprocCoredumpModeCommand(int Line, string Name, bool Enabled) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}

public sealed record WaitCommand(int Line, TimeSpan Duration) : ShellCommand(Line);

public sealed record SmmuShowCommand(int Line, string? Name) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}

public sealed record MemReadCommand(int Line, ulong Address, int Length, MemoryView View) : ShellCommand(Line)
{
    public override string? Remoteproc => View.Remoteproc;
}

public sealed record MemMapCommand(int Line) : ShellCommand(Line);

public sealed record ScmTraceCommand(int Line, bool Enabled) : ShellCommand(Line);

public sealed record FusesShowCommand(int Line) : ShellCommand(Line);

public sealed record FusesSetCommand(int Line, string Name, string Value) : ShellCommand(Line);

public sealed record ExpectCommand(int Line, RprocState State, string Name) : ShellCommand(Line)
{
    public override string? Remoteproc => Name;
}
