namespace Qtz.Shell;

/// <summary>The verbs and their one-line usage, for <c>help</c> and for error messages.</summary>
public static class ShellHelp
{
    public static readonly (string Usage, string What)[] Lines =
    [
        ("rproc list", "every remote processor with its state"),
        ("rproc status NAME", "state, recovery, coredump setting and unread dump, crashes and last crash reason of one"),
        ("rproc start NAME", "boot it (rproc_boot)"),
        ("rproc stop NAME", "shut it down (rproc_shutdown)"),
        ("rproc crash NAME [--kind watchdog|fatal|hang]", "inject a fault (default watchdog)"),
        ("rproc recovery NAME on|off", "recover after a crash, or stay crashed"),
        ("rproc coredump NAME -o FILE", "write an ELF core: recovery's unread dump if there is one, else its segments now"),
        ("rproc coredump NAME enabled|disabled", "whether recovery takes a coredump (default disabled, as Linux)"),
        ("wait DURATION", "advance virtual time: 500ms, 5s, 1.5s"),
        ("smmu show [NAME]", "live SMMU mappings (of one remoteproc's stream)"),
        ("mem read ADDR LEN [--as linux|secure|dsp:NAME]", "hex dump of memory as that bus master"),
        ("mem map", "RAM, reserved regions, carveouts, bridges, protection regions"),
        ("scm trace on|off", "print every SCM call as it happens"),
        ("fuses show", "the secure-boot fuses"),
        ("fuses set NAME VALUE", "change a fuse"),
        ("expect STATE NAME", "fail (exit 1) unless NAME is in STATE (offline, running, crashed, …)"),
        ("help [VERB]", "this list"),
    ];

    public static IEnumerable<string> Verbs => Lines.Select(l => l.Usage.Split(' ')[0]).Distinct();

    public static void Write(TextWriter output, string? topic)
    {
        ArgumentNullException.ThrowIfNull(output);
        var chosen = Lines.Where(l => topic is null || l.Usage.Split(' ')[0] == topic).ToArray();
        if (chosen.Length == 0)
            throw new ArgumentException($"no help for '{topic}': verbs are {string.Join(", ", Verbs)}");
        var width = chosen.Max(l => l.Usage.Length);
        foreach (var (usage, what) in chosen)
            output.WriteLine($"  {usage.PadRight(width)}  {what}");
        if (topic is null)
            output.WriteLine("Statements end at a newline or ';'; '#' starts a comment; quote words with spaces.");
    }
}
