using System.CommandLine;
using System.Text;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree;

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

            // One buffer per file, written in one call: printing is the whole job, so keep it cheap.
            var output = new StringBuilder(256 * 1024);
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            foreach (var path in paths)
            {
                output.Clear();
                DtsPrinter.Print(DtCommand.Load(path), output);
                stdout.Write(output);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
