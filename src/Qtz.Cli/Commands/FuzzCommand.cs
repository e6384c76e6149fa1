using System.CommandLine;
using System.Globalization;
using Qtz.Cli.Infrastructure;
using Qtz.Fuzzing;

namespace Qtz.Cli.Commands;

/// <summary>
/// <c>qtz fuzz TARGET</c>: a seeded mutation and generation campaign against one target; exit 1 when
/// any failure (crash, broken invariant, hang) was found, with shrunk reproducers in <c>--out</c>.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create() => Create(FuzzTargetRegistry.CreateDefault());

    /// <summary>The command over any registry (tests add targets of their own).</summary>
    public static Command Create(FuzzTargetRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var target = new Argument<string>("TARGET") { Description = "One of: " + string.Join(", ", registry.Names) };
        var iterations = new Option<string>("--iterations", "-n") { Description = "Inputs to run (default 10000)", DefaultValueFactory = _ => "10000" };
        var seed = new Option<int>("--seed") { Description = "Random seed; a seed (and thread count) gives the same inputs every run (default 1)", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads", "-j") { Description = "Parallel workers, each on its own target with its own seed derived from --seed (default 1)", DefaultValueFactory = _ => 1 };
        var time = new Option<string?>("--time") { Description = "Stop after this long (e.g. 90s, 10m) even if iterations remain" };
        var budget = new Option<string>("--budget") { Description = "Per-input time budget; slower inputs are hangs (default 2s)", DefaultValueFactory = _ => "2s" };
        var output = new Option<string?>("--out") { Description = "Directory for shrunk reproducers (default ./qtz-fuzz-out when something is found)" };
        var corpus = new Option<string[]>("--corpus") { Description = "Directory of real seed files (repeatable; default tests/data and ../shared/testdata)", Arity = ArgumentArity.ZeroOrMore };
        var replay = new Option<string?>("--replay") { Description = "Run one input file (a reproducer) instead of a campaign" };
        var json = JsonOutput.CreateOption();
        var command = new Command("fuzz", "Fuzz a parser or service with seeded mutation and structure-aware generation; exit 1 on any failure");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { iterations, seed, threads, time, budget, output, corpus, replay, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var request = new FuzzRequest(
                parse.GetValue(target)!,
                ParseCount(parse.GetValue(iterations)!),
                parse.GetValue(seed),
                parse.GetValue(threads),
                parse.GetValue(time) is { } t ? ParseDuration(t, "--time") : null,
                ParseDuration(parse.GetValue(budget)!, "--budget"),
                parse.GetValue(output),
                parse.GetValue(corpus) ?? [],
                parse.GetValue(replay),
                parse.GetValue(json));
            return Run(registry, request);
        });
        return command;
    }

    internal static int Run(FuzzTargetRegistry registry, FuzzRequest request)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(request);
        var context = new FuzzTargetContext { CorpusDirectories = request.Corpus };
        if (request.Threads < 1) throw new ArgumentException($"--threads {request.Threads}: use 1 or more");
        if (request.Replay is { } file)
        {
            var target = registry.Create(request.Target, context);
            try
            {
                return Replay(target, file, request.Json);
            }
            finally
            {
                (target as IDisposable)?.Dispose();
            }
        }

        if (!registry.Contains(request.Target)) _ = registry.Create(request.Target, context); // the unknown-target message
        var options = new FuzzOptions
        {
            Iterations = request.Iterations,
            Seed = request.Seed,
            Threads = request.Threads,
            TimeLimit = request.Time,
            InputBudget = request.Budget,
            OutputDirectory = request.Out ?? "qtz-fuzz-out",
        };
        var report = Terminal.WithProgress(Console.Out, $"fuzz {request.Target}",
            progress => FuzzEngine.Run(() => registry.Create(request.Target, context), options with { Progress = progress }));
        if (request.Json) JsonOutput.Write(Console.Out, FuzzView.Of(report));
        else FuzzView.Print(Console.Out, report);
        return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static int Replay(FuzzTarget target, string file, bool json)
    {
        var failure = FuzzEngine.Replay(target, File.ReadAllBytes(file));
        if (json) JsonOutput.Write(Console.Out, new FuzzView.ReplayJson(target.Name, file, failure is null, failure is null ? null : FuzzView.Of(failure)));
        else Console.Out.WriteLine(failure is null ? $"{file}: passes" : $"{file}: {failure.Kind.ToString().ToLowerInvariant()} {failure.Signature}\n  {failure.Message}");
        return failure is null ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static long ParseCount(string text)
    {
        var value = SizeParser.Parse(text, "--iterations");
        if (value > long.MaxValue) throw new ArgumentException($"--iterations {text} is too large");
        return (long)value;
    }

    /// <summary>Accepts 30, 30s, 500ms, 10m, 1h (a bare number is seconds).</summary>
    internal static TimeSpan ParseDuration(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        var scale = 1.0;
        foreach (var (suffix, seconds) in units)
        {
            if (!s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            s = s[..^suffix.Length];
            scale = seconds;
            break;
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
            throw new ArgumentException($"{option} '{text}' is not a duration: use a positive number with s, ms, m or h (e.g. 90s)");
        return TimeSpan.FromSeconds(value * scale);
    }
}

/// <summary>The parsed arguments of one <c>qtz fuzz</c> run.</summary>
internal sealed record FuzzRequest(
    string Target,
    long Iterations,
    int Seed,
    int Threads,
    TimeSpan? Time,
    TimeSpan Budget,
    string? Out,
    IReadOnlyList<string> Corpus,
    string? Replay,
    bool Json);
