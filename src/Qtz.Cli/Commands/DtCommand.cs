using System.CommandLine;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz dt …</c>: read, print, overlay and check device-tree blobs.</summary>
internal static class DtCommand
{
    public static Command Create()
    {
        var command = new Command("dt", "Device trees: print (like dtc), apply overlays (like fdtoverlay), read values, check PAS remoteproc bindings");
        command.Subcommands.Add(DtDumpCommand.Create());
        command.Subcommands.Add(DtGetCommand.Create());
        command.Subcommands.Add(DtOverlayCommand.Create());
        command.Subcommands.Add(DtCheckCommand.Create());
        command.Subcommands.Add(DtShippedCommand.Create());
        return command;
    }

    /// <summary>Loads a blob, putting the file name in front of any format error so the one-line message says which file.</summary>
    internal static DtTree Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return DtTree.Parse(bytes);
        }
        catch (FdtFormatException error)
        {
            throw new FdtFormatException($"{path}: {error.Message}", error.Offset);
        }
    }

    /// <summary>An overlay argument: a .dtbo file, or <c>shipped:NAME</c> for one of qtz's embedded overlays.</summary>
    internal static DtTree LoadOverlay(string argument) =>
        argument.StartsWith("shipped:", StringComparison.Ordinal) ? ShippedOverlays.Load(argument["shipped:".Length..]) : Load(argument);
}
