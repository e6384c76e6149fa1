using System.CommandLine;
using System.Runtime.ExceptionServices;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree.Source;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz dt dump FILE...</c>: what <c>dtc -I dtb -O dts FILE</c> prints, for each file in turn.</summary>
internal static class DtDumpCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Device tree blobs (.dtb/.dtbo)", Arity = ArgumentArity.OneOrMore };
        var json = JsonOutput.CreateOption();
        var command = new Command("dump", "Print blobs as DTS source, byte-identical to dtc 1.6.1 (-I dtb -O dts); several files print one after another");
        command.Arguments.Add(files);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files) ?? [];
            if (parse.GetValue(json))
            {
                JsonOutput.Write(Console.Out, paths.Select(p => DtJson.Tree(p, DtCommand.Load(p))).ToArray());
                return ExitCodes.Ok;
            }

            Dump(paths);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Several files are parsed and printed in parallel but written in argument order; a bad file stops
    /// the output where a shell loop of dtc would (everything before it is printed, then its error). One
    /// file is parsed, then printed straight into stdout on this thread: starting the thread pool would
    /// cost more than the work.
    /// </summary>
    private static void Dump(string[] paths)
    {
        using var stdout = StandardOutput.Open();
        if (paths.Length == 1)
        {
            DtsPrinter.Print(DtCommand.Load(paths[0]), stdout);
            return;
        }

        var texts = new Task<string>[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            var path = paths[i];
            texts[i] = Task.Run(() => DtCommand.Load(path).ToDts());
        }

        foreach (var text in texts)
        {
            try
            {
                stdout.Write(text.GetAwaiter().GetResult());
            }
            catch (Exception error)
            {
                stdout.Flush();
                ExceptionDispatchInfo.Capture(error).Throw();
                throw;
            }
        }
    }
}
