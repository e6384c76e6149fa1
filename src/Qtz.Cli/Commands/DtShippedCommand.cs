using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree;
using Qtz.Platform.IO;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz dt shipped [NAME]</c>: list qtz's embedded overlays, print one's source or write its blob.</summary>
internal static class DtShippedCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "Overlay name (omit to list them)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "Write the overlay's .dtbo here instead of printing its .dtso source" };
        var command = new Command("shipped", "List qtz's shipped overlays (use them as shipped:NAME), print one's source, or write its blob with -o");
        command.Arguments.Add(name);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(name);
            if (chosen is null)
            {
                foreach (var n in ShippedOverlays.Names) Console.Out.WriteLine(n);
                return ExitCodes.Ok;
            }

            if (parse.GetValue(output) is { } path) AtomicFiles.WriteAllBytes(path, ShippedOverlays.Blob(chosen));
            else Console.Out.Write(ShippedOverlays.Source(chosen));
            return ExitCodes.Ok;
        });
        return command;
    }
}
