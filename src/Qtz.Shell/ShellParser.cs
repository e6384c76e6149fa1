using Qtz.Shell.Reports;

namespace Qtz.Shell;

/// <summary>
/// Statements → typed commands. Every mistake throws <see cref="ShellScriptException"/> naming the
/// line: unknown verb, wrong number of arguments, a bad number or duration, a bad option value.
/// Remoteproc names are checked later against the board (<see cref="ShellExecutor.CheckNames"/>).
/// </summary>
public sealed class ShellParser(string source)
{
    public const long MaxReadLength = 64 * 1024;

    public IReadOnlyList<ShellCommand> Parse(string text, int firstLine = 1) =>
        [.. ShellTokenizer.Split(text, source, firstLine).Select(Parse)];

    public ShellCommand Parse(ShellStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var line = statement.Line;
        var words = new Words(statement.Words, line, source);
        var verb = words.Verb;
        return verb switch
        {
            "help" => new HelpCommand(line, words.Optional(0, "help [VERB]")),
            "rproc" => ParseRproc(words),
            "wait" => new WaitCommand(line, words.Duration(words.Exactly(1, "wait DURATION")[0])),
            "smmu" => ParseSub(words, "smmu", ("show", w => new SmmuShowCommand(line, w.Optional(1, "smmu show [NAME]")))),
            "mem" => ParseSub(words, "mem", ("read", ParseMemRead), ("map", w => { w.Exactly(1, "mem map"); return new MemMapCommand(line); })),
            "scm" => ParseSub(words, "scm", ("trace", w => new ScmTraceCommand(line, w.OnOff(w.Exactly(2, "scm trace on|off")[1])))),
            "fuses" => ParseSub(words, "fuses",
                ("show", w => { w.Exactly(1, "fuses show"); return new FusesShowCommand(line); }),
                ("set", w => { var a = w.Exactly(3, "fuses set NAME VALUE"); return new FusesSetCommand(line, a[1], a[2]); })),
            "expect" => ParseExpect(words),
            _ => throw words.Error($"unknown verb '{verb}' (verbs: {string.Join(", ", ShellHelp.Verbs)}; try 'help')"),
        };
    }

    private static ShellCommand ParseSub(Words words, string verb, params (string Name, Func<Words, ShellCommand> Build)[] subs)
    {
        var names = string.Join("|", subs.Select(s => s.Name));
        if (words.Args.Count == 0)
            throw words.Error($"'{verb}' needs a sub-command: {verb} {names}");
        var sub = subs.FirstOrDefault(s => s.Name == words.Args[0]);
        if (sub.Build is null)
            throw words.Error($"unknown sub-command '{verb} {words.Args[0]}' (expected {verb} {names})");
        return sub.Build(words);
    }

    private static ShellCommand ParseRproc(Words w)
    {
        var line = w.Line;
        return ParseSub(w, "rproc",
            ("list", x => { x.Exactly(1, "rproc list"); return new RprocListCommand(line); }),
            ("status", x => new RprocActionCommand(line, RprocAction.Status, x.Exactly(2, "rproc status NAME")[1])),
            ("start", x => new RprocActionCommand(line, RprocAction.Start, x.Exactly(2, "rproc start NAME")[1])),
            ("stop", x => new RprocActionCommand(line, RprocAction.Stop, x.Exactly(2, "rproc stop NAME")[1])),
            ("crash", x =>
            {
                const string usage = "rproc crash NAME [--kind watchdog|fatal|hang]";
                var kind = x.TakeOption("--kind", usage);
                var a = x.Exactly(2, usage);
                return new RprocCrashCommand(line, a[1], kind is null ? CrashKind.Watchdog : x.Enum<CrashKind>(kind, "--kind"));
            }),
            ("recovery", x =>
            {
                var a = x.Exactly(3, "rproc recovery NAME on|off");
                return new RprocRecoveryCommand(line, a[1], x.OnOff(a[2]));
            }),
            ("coredump", x =>
            {
                const string usage = "rproc coredump NAME -o FILE | rproc coredump NAME enabled|disabled";
                var file = x.TakeOption("-o", usage);
                if (file is not null) return new RprocCoredumpCommand(line, x.Exactly(2, usage)[1], file);
                if (x.Args.Count == 3)
                {
                    var mode = x.Args[2] switch
                    {
                        "enabled" => true,
                        "disabled" => false,
                        _ => throw x.Error($"'rproc coredump {x.Args[1]} {x.Args[2]}': the setting is enabled or disabled ({usage})"),
                    };
                    return new RprocCoredumpModeCommand(line, x.Args[1], mode);
                }

                throw x.Error($"'rproc coredump' needs -o FILE or a setting ({usage})");
            }));
    }

    private static MemReadCommand ParseMemRead(Words w)
    {
        const string usage = "mem read ADDR LEN [--as linux|secure|dsp:NAME]";
        var view = w.TakeOption("--as", usage) is { } asText ? ParseView(w, asText) : MemoryView.Linux;
        var a = w.Exactly(3, usage);
        var address = w.Number(a[1], "ADDR");
        var length = w.Number(a[2], "LEN");
        if (length is 0 or > MaxReadLength)
            throw w.Error($"LEN {a[2]} is out of range: read 1 to {MaxReadLength} bytes at a time");
        return new MemReadCommand(w.Line, address, (int)length, view);
    }

    private static MemoryView ParseView(Words w, string text)
    {
        if (text.StartsWith("dsp:", StringComparison.Ordinal) && text.Length > 4)
            return new MemoryView(MemoryViewKind.Dsp, text[4..]);
        return text switch
        {
            "linux" => MemoryView.Linux,
            "secure" => new MemoryView(MemoryViewKind.Secure),
            _ => throw w.Error($"--as '{text}' is not a bus master: use linux, secure or dsp:NAME"),
        };
    }

    private static ExpectCommand ParseExpect(Words w)
    {
        var a = w.Exactly(2, "expect STATE NAME");
        return new ExpectCommand(w.Line, w.Enum<RprocState>(a[0], "STATE"), a[1]);
    }
}
