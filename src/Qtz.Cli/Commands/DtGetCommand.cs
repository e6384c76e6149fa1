using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Source;

namespace Qtz.Cli.Commands;

/// <summary>
/// <c>qtz dt get FILE PATH [PROPERTY]</c>: one node (as DTS) or one property, by path or alias. A missing
/// node or property exits 1, as fdtget does.
/// </summary>
internal static class DtGetCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Device tree blob" };
        var path = new Argument<string>("PATH") { Description = "Node path (/soc@0/remoteproc@30000000), alias, or &PHANDLE (&0x2a)" };
        var property = new Argument<string?>("PROPERTY") { Description = "Property name (omit to print the whole node)", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOutput.CreateOption();
        var command = new Command("get", "Print one node or property; --json adds decoded reg, iommus, interrupts, memory-region and qcom,devmem. Exit 1 when the node or property is not there (as fdtget)");
        command.Arguments.Add(file);
        command.Arguments.Add(path);
        command.Arguments.Add(property);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var tree = DtCommand.Load(parse.GetValue(file)!);
            tree.Validate();
            DtNode node;
            DtProperty? prop;
            try
            {
                node = Resolve(tree, parse.GetValue(path)!);
                var name = parse.GetValue(property);
                prop = name is null ? null : node.FindProperty(name) ?? throw new DtNotFoundException($"{node.Path} has no property '{name}'");
            }
            catch (DtNotFoundException missing)
            {
                // fdtget exits 1 for a node or property that is not there (a malformed blob stays 2)
                throw new CheckFailedException(missing.Message);
            }

            if (parse.GetValue(json))
            {
                if (prop is null) JsonOutput.Write(Console.Out, DtJson.NodeDetail(node));
                else JsonOutput.Write(Console.Out, DtJson.Property(prop));
                return ExitCodes.Ok;
            }

            Console.Out.Write(prop is null ? DtsPrinter.PrintNode(node) : DtsPrinter.PrintProperty(prop) + "\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DtNode Resolve(DtTree tree, string path)
    {
        if (!path.StartsWith('&')) return tree.GetNode(path);
        var text = path[1..];
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var phandle)
            : uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out phandle);
        if (!ok) throw new CliUsageException($"'{path}' is not a phandle (use &42 or &0x2a)");
        return tree.FindByPhandle(phandle) ?? throw new DtNotFoundException($"no node has phandle 0x{phandle:x}");
    }
}
