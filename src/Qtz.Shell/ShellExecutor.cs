using System.Globalization;
using System.Text;
using Qtz.Firmware.Elf.Core;
using Qtz.Platform.IO;
using Qtz.Shell.Reports;

namespace Qtz.Shell;

/// <summary>
/// Runs parsed commands against an <see cref="IShellTarget"/>, printing what each verb shows. A wrong
/// remoteproc name is a script error (exit 2); a failed <c>expect</c> or an operation the board
/// refuses is a check failure (exit 1); both name the line.
/// </summary>
public sealed class ShellExecutor(IShellTarget target, TextWriter output, string source)
{
    /// <summary>Checks every remoteproc name before anything runs, so a typo on line 40 does not leave a half-run scenario.</summary>
    public void CheckNames(IEnumerable<ShellCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var known = target.Remoteprocs.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            if (command.Remoteproc is { } name && !known.Contains(name))
                throw new ShellScriptException(source, command.Line, $"unknown remoteproc '{name}' (this board has: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        }
    }

    public void Run(IEnumerable<ShellCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
            Execute(command);
    }

    public void Execute(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        CheckNames([command]);
        try
        {
            Dispatch(command);
        }
        catch (ShellOperationException refused)
        {
            throw new ShellCheckFailedException(source, command.Line, refused.Message);
        }
        catch (ArgumentException bad)
        {
            throw new ShellScriptException(source, command.Line, bad.Message);
        }
        finally
        {
            foreach (var line in target.TakeConsoleLines())
                output.WriteLine(line);
        }
    }

    private void Dispatch(ShellCommand command)
    {
        switch (command)
        {
            case HelpCommand c: ShellHelp.Write(output, c.Topic); break;
            case RprocListCommand: ShellTables.Remoteprocs(output, target.Remoteprocs); break;
            case RprocActionCommand { Action: RprocAction.Status } c: ShellTables.Status(output, Find(c.Name)); break;
            case RprocActionCommand { Action: RprocAction.Start } c: target.Start(c.Name); PrintState(c.Name); break;
            case RprocActionCommand { Action: RprocAction.Stop } c: target.Stop(c.Name); PrintState(c.Name); break;
            case RprocCrashCommand c: target.Crash(c.Name, c.Kind); PrintState(c.Name); break;
            case RprocRecoveryCommand c: target.SetRecovery(c.Name, c.Enabled); break;
            case RprocCoredumpCommand c: WriteCoreDump(c); break;
            case RprocCoredumpModeCommand c: target.SetCoredump(c.Name, c.Enabled); break;
            case WaitCommand c: target.Advance(c.Duration); break;
            case SmmuShowCommand c: ShellTables.Mappings(output, target.SmmuMappings(c.Name)); break;
            case MemReadCommand c: ReadMemory(c); break;
            case MemMapCommand: ShellTables.MemoryMap(output, target.MemoryMap()); break;
            case ScmTraceCommand c: target.SetScmTrace(c.Enabled); break;
            case FusesShowCommand: ShellTables.Fuses(output, target.Fuses()); break;
            case FusesSetCommand c: target.SetFuse(c.Name, c.Value); break;
            case ExpectCommand c: Expect(c); break;
            default: throw new InvalidOperationException($"no executor for {command.GetType().Name}");
        }
    }

    private RemoteprocStatus Find(string name) => target.Remoteprocs.First(r => r.Name == name);

    private void PrintState(string name) =>
        output.WriteLine($"{name}: {ShellTables.StateName(Find(name).State)}");

    private void Expect(ExpectCommand c)
    {
        var actual = Find(c.Name).State;
        if (actual != c.State)
            throw new ShellCheckFailedException(source, c.Line, $"expect {ShellTables.StateName(c.State)} {c.Name}: {c.Name} is {ShellTables.StateName(actual)} at {target.Now}s");
    }

    private void WriteCoreDump(RprocCoredumpCommand c)
    {
        var dump = target.CoreDump(c.Name);
        try
        {
            AtomicFiles.Write(c.OutputPath, file => CoreDumpWriter.Write(file, dump.Format, dump.Segments));
        }
        catch (IOException io)
        {
            throw new ShellScriptException(source, c.Line, $"cannot write coredump to '{c.OutputPath}': {io.Message}");
        }
        catch (UnauthorizedAccessException denied)
        {
            throw new ShellScriptException(source, c.Line, $"cannot write coredump to '{c.OutputPath}': {denied.Message}");
        }

        var bytes = CoreDumpWriter.SizeOf(dump.Format.Class, dump.Segments);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Name}: wrote {c.OutputPath} ({dump.Origin}: {dump.Segments.Count} segments, {bytes} bytes)"));
    }

    private void ReadMemory(MemReadCommand c)
    {
        var result = target.ReadMemory(c.Address, c.Length, c.View);
        if (result.Fault is { } fault)
        {
            output.WriteLine($"mem read {ShellValues.Hex(c.Address)} as {c.View}: fault: {fault}");
            return;
        }

        output.Write(HexDump(c.Address, result.Data.Span));
    }

    /// <summary>16 bytes a line: address, hex bytes, printable ASCII.</summary>
    public static string HexDump(ulong address, ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        for (var at = 0; at < data.Length; at += 16)
        {
            var row = data.Slice(at, Math.Min(16, data.Length - at));
            text.Append(CultureInfo.InvariantCulture, $"{address + (ulong)at:x16}: ");
            for (var i = 0; i < 16; i++)
                text.Append(i < row.Length ? row[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
            text.Append(' ');
            foreach (var b in row)
                text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            text.Append('\n');
        }

        return text.ToString();
    }
}
