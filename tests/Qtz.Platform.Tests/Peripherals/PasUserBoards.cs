using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Platform.Boards;
using Qtz.Soc.Smc;
using Qtz.Soc;
using Qtz.TestSupport;

namespace Qtz.Platform.Tests.Peripherals;

/// <summary>Real DTBs from tests/data (always in the checkout), edited trees, and the decoded SCM calls a board made.</summary>
internal static class PasUserBoards
{
    public static string DtbPath(string name) => Path.Combine(TestPaths.ProjectDtbDirectory, name);

    public static DtTree Tree(string name) => DtTree.Parse(File.ReadAllBytes(DtbPath(name)));

    public static NamedBlob Blob(DtTree tree, string name) => new(name, tree.ToBlob());

    public static Board Build(string dtb, Func<BoardOptions, BoardOptions>? options = null) =>
        Board.Build((options ?? (o => o))(new BoardOptions { Dtb = new NamedBlob(dtb, File.ReadAllBytes(DtbPath(dtb))) }));

    public static Board Build(DtTree tree, string name, Func<BoardOptions, BoardOptions>? options = null) =>
        Board.Build((options ?? (o => o))(new BoardOptions { Dtb = Blob(tree, name) }));

    /// <summary>The board's trace position now (calls after it are what the next step made).</summary>
    public static int Mark(Board board) => board.Trace.Events.Count;

    /// <summary>
    /// Linux's SCM calls since <paramref name="from"/> that concern <paramref name="pasId"/> (PIL calls by their a0,
    /// SET_REMOTE_STATE whatever its id, VIDEO_VAR with video's 9), spelled "INIT_IMAGE 9", "AUTH_AND_RESET 9 -> NOT_SUPPORTED".
    /// The hypervisor's forwards of a trapped call are left out: they are the same call.
    /// </summary>
    public static List<string> Calls(Board board, uint pasId, int from = 0)
    {
        var calls = new List<string>();
        foreach (var e in board.Trace.Events.Skip(from))
        {
            if (e.Smc is not { } smc || smc.Caller != board.KernelCpu) continue;
            var id = smc.FunctionId;
            var status = smc.Status == ScmStatus.Success ? "" : " -> " + smc.StatusName;
            if (id.Service == ScmCatalog.Pil && smc.Call.X2 == pasId)
                calls.Add($"{smc.Name["PIL.PAS_".Length..]} {pasId}{status}");
            else if (id.Service == ScmCatalog.Boot && id.Command == 0x0A)
                calls.Add($"SET_REMOTE_STATE {smc.Call.X2} {smc.Call.X3}{status}");
            else if (id.Service == ScmCatalog.Mp && id.Command == 0x08 && pasId == 9)
                calls.Add($"VIDEO_VAR 0x{smc.Call.X2:x} 0x{smc.Call.X3:x} 0x{smc.Call.X4:x} 0x{smc.Call.X5:x}{status}");
        }

        return calls;
    }

    public static PeripheralReport Peripheral(BootReport report, string name) => report.Peripherals.Single(p => p.Name == name);
}
