using System.Globalization;
using System.Text;

namespace Qtz.Cli.Infrastructure;

/// <summary>The qtz(1) page in man(7) roff, written from the command tree (<c>qtz man</c>).</summary>
internal static class ManPage
{
    public static string Render(IReadOnlyList<CommandDoc> tree, string version)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var s = new StringBuilder();
        var root = tree[0];
        s.Append(CultureInfo.InvariantCulture, $".TH QTZ 1 \"\" \"qtz {Escape(version)}\" \"User Commands\"\n");
        s.Append(".SH NAME\nqtz \\- ").Append(Escape(QtzApp.Description.Replace("qtz — ", "", StringComparison.Ordinal))).Append('\n');
        s.Append(".SH SYNOPSIS\n.B qtz\n.I command\n.RI [ options ]\n.br\n.B qtz help\n.RI [ command ...]\n.br\n.B qtz \\-\\-version\n");
        s.Append(".SH DESCRIPTION\n").Append(Escape(QtzApp.Description)).Append("\n.PP\nEvery command prints one line on stderr when it fails; with \\fB\\-\\-json\\fR, data (and errors, as an object) go to stdout as JSON.\n");
        s.Append(".SH GLOBAL OPTIONS\n");
        foreach (var o in root.Options) Option(s, o);
        s.Append(".SH COMMANDS\n");
        foreach (var c in tree.Skip(1))
        {
            s.Append(".SS \"qtz ").Append(Escape(c.Path)).Append(c.Subcommands.Count > 0 ? " \\fIcommand\\fR" : "");
            foreach (var a in c.Arguments) s.Append(' ').Append(a.Optional ? "[" : "").Append(Escape(a.Name)).Append(a.Many ? "..." : "").Append(a.Optional ? "]" : "");
            s.Append("\"\n").Append(Escape(c.Description)).Append('\n');
            foreach (var a in c.Arguments.Where(a => a.Description.Length > 0))
                s.Append(".TP\n.I ").Append(Escape(a.Name)).Append('\n').Append(Escape(a.Description)).Append('\n');
            foreach (var o in c.Options.Where(o => o.Name != "--help")) Option(s, o);
        }

        s.Append(".SH EXIT STATUS\n");
        foreach (var (code, meaning) in new[]
                 {
                     (ExitCodes.Ok, "everything asked for was done and every check passed"),
                     (ExitCodes.CheckFailed, "the checked thing failed (a signature, a boot, a binding rule, a script assertion, a missing node for dt get)"),
                     (ExitCodes.BadInput, "bad input or usage: malformed file, bad argument, unknown option; nothing was changed"),
                     (ExitCodes.InternalError, "an internal error (a qtz bug); set QTZ_DEBUG=1 for the stack trace"),
                 })
            s.Append(CultureInfo.InvariantCulture, $".TP\n.B {code}\n{Escape(meaning)}\n");
        s.Append(".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nNo colour in output (progress bars stay).\n.TP\n.B QTZ_DEBUG\nSet to 1 to print the stack trace of an internal error.\n");
        s.Append(".SH SEE ALSO\n.BR dtc (1),\n.BR fdtget (1),\n.BR fdtoverlay (1),\n.BR mtdinfo (8),\n.BR openssl (1)\n");
        return s.ToString();
    }

    private static void Option(StringBuilder s, OptionDoc o)
    {
        s.Append(".TP\n.B ").Append(string.Join(", ", o.Aliases.Append(o.Name).Select(Escape)));
        if (o.TakesValue) s.Append(o.Values.Count > 0 ? " \\fI" + Escape(string.Join("|", o.Values)) + "\\fR" : " \\fIVALUE\\fR");
        s.Append('\n').Append(Escape(o.Description)).Append('\n');
    }

    /// <summary>Backslashes and hyphens as roff wants them; a line starting with '.' or '\'' is protected.</summary>
    private static string Escape(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return string.Join('\n', escaped.Split('\n').Select(l => l.StartsWith('.') || l.StartsWith('\'') ? "\\&" + l : l));
    }
}
