namespace Qtz.Linux.Setup;

/// <summary>
/// Something the Linux guest needs is missing or broken on this machine (a tool, a package, the
/// setup's cache): the message names it and the command that fixes it. An <see cref="IOException"/>,
/// so the CLI reports it as bad input (exit 2) in one line.
/// </summary>
public sealed class LinuxEnvironmentException(string message) : IOException(message);
