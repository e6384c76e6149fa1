using System.CommandLine;
using System.CommandLine.Parsing;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// The one line a parse error becomes: an unknown option or command is named as such, with the closest
/// known name when one is close; otherwise the parser's own first message.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The usage error of <paramref name="parse"/>, or null when there is none.</summary>
    public static string? Find(ParseResult parse, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.Errors.Count > 0) return Describe(parse);
        // "--name" where a file was expected is a mistyped option, not a file (after "--" it is a file).
        var end = args.Count;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--") { end = i; break; }
        }

        var known = Known(parse.CommandResult.Command);
        var bad = args.Take(end).FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2 && !known.Contains(a.Split('=')[0])
            && parse.Tokens.Any(t => t.Type == TokenType.Argument && t.Value == a));
        return bad is null ? null : $"unknown option '{bad}' for '{QtzApp.CommandPath(parse.CommandResult)}'" + Suggest(bad, known);
    }

    private static HashSet<string> Known(Command command) =>
        command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);

    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var where = QtzApp.CommandPath(parse.CommandResult);
        // An unknown option may also have been taken as an argument value ("fw verify --jsn x").
        var options = Known(command);
        foreach (var token in parse.Tokens.Where(t => t.Type == TokenType.Argument).Select(t => t.Value).Concat(parse.UnmatchedTokens))
        {
            if (token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]) && !options.Contains(token))
                return $"unknown option '{token}' for '{where}'" + Suggest(token, options);
        }

        foreach (var token in parse.UnmatchedTokens)
        {
            if (command.Subcommands.Count > 0)
                return $"unknown command '{token}' for '{where}'" + Suggest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        }

        return CliErrors.OneLine(parse.Errors[0].Message);
    }

    internal static string Suggest(string given, IEnumerable<string> known)
    {
        var best = known.Distinct(StringComparer.Ordinal)
            .Select(k => (Name: k, Distance: Distance(given, k)))
            .OrderBy(k => k.Distance).ThenBy(k => Math.Abs(k.Name.Length - given.Length)).ThenBy(k => k.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, given.Length / 3) ? $"; did you mean '{best.Name}'?" : "";
    }

    /// <summary>Edit distance (insert, delete, substitute, swap of neighbours).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}
