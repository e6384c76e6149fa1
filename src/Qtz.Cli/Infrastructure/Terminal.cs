using Spectre.Console;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// Console rendering rules: colour and live progress only on a real terminal, never when NO_COLOR is
/// set or output is redirected (tests, pipes, CI) — there progress degrades to plain lines.
/// </summary>
public static class Terminal
{
    public static bool IsInteractive(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

    public static bool ColorEnabled(TextWriter stdout) =>
        IsInteractive(stdout) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>A Spectre console writing to <paramref name="stdout"/>, with colour only where allowed.</summary>
    public static IAnsiConsole Create(TextWriter stdout) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(stdout),
        Ansi = ColorEnabled(stdout) ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = ColorEnabled(stdout) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = IsInteractive(stdout) ? InteractionSupport.Yes : InteractionSupport.No,
    });

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar on a terminal, or with plain "label: N%" lines
    /// (at most one per 10%) otherwise. The callback reports progress in [0, 1].
    /// </summary>
    public static T WithProgress<T>(TextWriter stdout, string label, Func<Action<double>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (IsInteractive(stdout))
        {
            return Create(stdout).Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: 1.0);
                var result = work(p => task.Value = Math.Clamp(p, 0, 1));
                task.Value = 1.0;
                return result;
            });
        }

        var lastDecile = -1;
        return work(p =>
        {
            var decile = (int)(Math.Clamp(p, 0, 1) * 10);
            if (decile > lastDecile)
            {
                lastDecile = decile;
                Console.Error.WriteLine($"{label}: {decile * 10}%");
            }
        });
    }
}
