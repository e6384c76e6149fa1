using Qtz.Platform.Boards;
using Qtz.Shell;
using Qtz.Platform.Tracing;

namespace Qtz.Cli.Infrastructure;

/// <summary><c>--trace FILE</c>, the same in every command that has it: the extension picks the format.</summary>
internal static class TraceFiles
{
    public const string OptionDescription =
        "Write the trace to FILE: .json is Chrome/Perfetto trace JSON (ui.perfetto.dev, chrome://tracing), .jsonl one JSON object per event, anything else ftrace-like text";

    /// <summary>A booted board's trace: SMC calls, remoteproc and SMMU events.</summary>
    public static void Write(string path, Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        if (TraceExport.FormatFor(path) == TraceFormat.FtraceText)
        {
            // the board's own event log is the richer text form (every boot step, not just the spans)
            using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
            board.Trace.WriteText(writer);
            return;
        }

        TraceExport.WriteFile(path, BoardReportBuilder.Records(board));
    }
}
