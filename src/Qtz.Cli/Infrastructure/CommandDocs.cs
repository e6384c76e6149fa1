using System.CommandLine;

namespace Qtz.Cli.Infrastructure;

/// <summary>One command of the tree, flattened for the completion scripts and the man page.</summary>
internal sealed record CommandDoc(
    string Path, string Description, IReadOnlyList<string> Subcommands, IReadOnlyList<OptionDoc> Options, IReadOnlyList<ArgumentDoc> Arguments);

internal sealed record OptionDoc(string Name, IReadOnlyList<string> Aliases, string Description, bool TakesValue, IReadOnlyList<string> Values);

internal sealed record ArgumentDoc(string Name, string Description, bool Optional, bool Many);

internal static class CommandDocs
{
    /// <summary>Every command under <paramref name="root"/>, depth first; the root's path is "".</summary>
    public static IReadOnlyList<CommandDoc> Walk(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var docs = new List<CommandDoc>();
        Visit(root, "", docs);
        return docs;
    }

    private static void Visit(Command command, string path, List<CommandDoc> docs)
    {
        var visible = command.Subcommands.Where(c => !c.Hidden).ToList();
        docs.Add(new CommandDoc(
            path,
            command.Description ?? "",
            [.. visible.Select(c => c.Name)],
            [.. command.Options.Where(o => !o.Hidden).Select(o => new OptionDoc(
                o.Name,
                [.. o.Aliases.Where(a => a.StartsWith('-') && a != o.Name).OrderBy(a => a.Length)],
                o.Description ?? "",
                o.Arity.MaximumNumberOfValues > 0 && o.ValueType != typeof(bool),
                [.. o.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label).Where(l => !l.StartsWith('-'))]))],
            [.. command.Arguments.Where(a => !a.Hidden).Select(a => new ArgumentDoc(
                a.Name, a.Description ?? "", a.Arity.MinimumNumberOfValues == 0, a.Arity.MaximumNumberOfValues > 1))]));
        foreach (var child in visible)
            Visit(child, path.Length == 0 ? child.Name : path + " " + child.Name, docs);
    }
}
