using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Bindings;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz dt check FILE</c>: PAS remoteproc nodes against their bindings; exit 1 when a rule fails.</summary>
internal static class DtCheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Device tree blob" };
        var overlays = new Option<string[]>("--overlay") { Description = "Apply these overlays first (.dtbo or shipped:NAME)", AllowMultipleArgumentsPerToken = true };
        var json = JsonOutput.CreateOption();
        var command = new Command("check",
            "Check every Qualcomm PAS remoteproc node against qcom,pas-common and its own SoC's binding (memory-regions, firmware-names, interrupts, power domains, qcom,smem-states) and the EL2 properties (iommus, qcom,devmem); exit 1 when a rule fails");
        command.Arguments.Add(file);
        command.Options.Add(overlays);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var tree = DtCommand.Load(parse.GetValue(file)!);
            foreach (var overlay in parse.GetValue(overlays) ?? [])
                DtOverlay.Apply(tree, DtCommand.LoadOverlay(overlay));
            tree.Validate();
            var report = PasBindingChecker.Check(tree, Qtz.Platform.Socs.SocBindings.For(Qtz.Platform.Socs.SocCatalog.Linux));
            if (parse.GetValue(json))
                JsonOutput.Write(Console.Out, DtJson.Check(report));
            else
                Render(report);
            return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static void Render(BindingReport report)
    {
        if (report.Nodes.Count == 0)
        {
            Console.Out.WriteLine("no Qualcomm PAS remoteproc nodes (compatible qcom,*-pas) found");
            return;
        }

        foreach (var node in report.Nodes)
        {
            Console.Out.WriteLine($"{(node.Passed ? "ok  " : "FAIL")} {node.Path} ({node.Compatible}; {node.Binding})");
            foreach (var finding in node.Findings)
                Console.Out.WriteLine($"     {finding.NodePath}: [{finding.Rule}] {finding.Message}");
        }

        var failed = report.Nodes.Count(n => !n.Passed);
        Console.Out.WriteLine(failed == 0
            ? $"{report.Nodes.Count} PAS node(s) checked, all rules pass"
            : $"{failed} of {report.Nodes.Count} PAS node(s) fail");
    }
}
