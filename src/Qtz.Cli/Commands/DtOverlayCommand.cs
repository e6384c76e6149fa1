using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree;
using Qtz.Platform.IO;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz dt overlay BASE OVL... -o OUT</c>: fdtoverlay, plus path-named fixups.</summary>
internal static class DtOverlayCommand
{
    public static Command Create()
    {
        var baseFile = new Argument<string>("BASE") { Description = "Base device tree blob" };
        var overlays = new Argument<string[]>("OVERLAY")
        {
            Description = "Overlays (.dtbo), applied in order; shipped:NAME names one of qtz's own (" + string.Join(", ", ShippedOverlays.Names) + ")",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the merged blob", Required = true };
        var strict = new Option<bool>("--strict") { Description = "Behave exactly like fdtoverlay: do not resolve __fixups__ named by a path" };
        var command = new Command("overlay", "Apply overlays to a base blob with fdtoverlay's semantics; references by path (&{/soc@0/...}) resolve even without __symbols__");
        command.Arguments.Add(baseFile);
        command.Arguments.Add(overlays);
        command.Options.Add(output);
        command.Options.Add(strict);
        command.SetAction(parse =>
        {
            var tree = DtCommand.Load(parse.GetValue(baseFile)!);
            foreach (var overlay in parse.GetValue(overlays) ?? [])
            {
                var ov = DtCommand.LoadOverlay(overlay);
                try
                {
                    if (parse.GetValue(strict)) DtOverlay.ApplyStrict(tree, ov);
                    else DtOverlay.Apply(tree, ov);
                }
                catch (DtOverlayException error)
                {
                    throw new DtOverlayException($"{overlay}: {error.Message}", error);
                }
            }

            AtomicFiles.WriteAllBytes(parse.GetValue(output)!, tree.ToBlob());
            return ExitCodes.Ok;
        });
        return command;
    }
}
