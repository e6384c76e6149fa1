namespace Qtz.Shell;

/// <summary>A statement's words with the checks every verb shares (arity, options, numbers).</summary>
internal sealed class Words
{
    private readonly List<string> _args;
    private readonly string _source;

    public Words(IReadOnlyList<string> words, int line, string source)
    {
        Verb = words[0];
        _args = [.. words.Skip(1)];
        Line = line;
        _source = source;
    }

    public string Verb { get; }

    public int Line { get; }

    /// <summary>The words after the verb (sub-command first), options already taken out.</summary>
    public IReadOnlyList<string> Args => _args;

    public ShellScriptException Error(string problem) => new(_source, Line, problem);

    /// <summary>The arguments after the verb, which must number exactly <paramref name="count"/>.</summary>
    public IReadOnlyList<string> Exactly(int count, string usage)
    {
        var stray = _args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2);
        if (stray is not null)
            throw Error($"unknown option '{stray}' (usage: {usage})");
        if (_args.Count != count)
            throw Error($"wrong number of arguments: '{string.Join(' ', [Verb, .. _args])}' does not match '{usage}'");
        return _args;
    }

    /// <summary>An optional trailing argument at <paramref name="index"/> (nothing after it).</summary>
    public string? Optional(int index, string usage)
    {
        if (_args.Count > index + 1)
            throw Error($"wrong number of arguments: '{string.Join(' ', [Verb, .. _args])}' does not match '{usage}'");
        return _args.Count > index ? _args[index] : null;
    }

    /// <summary>Removes <c>NAME VALUE</c> or <c>NAME=VALUE</c> from the words and returns VALUE (null when absent).</summary>
    public string? TakeOption(string name, string usage)
    {
        for (var i = 0; i < _args.Count; i++)
        {
            if (_args[i] == name)
            {
                if (i + 1 >= _args.Count)
                    throw Error($"option {name} needs a value (usage: {usage})");
                var value = _args[i + 1];
                _args.RemoveRange(i, 2);
                return value;
            }

            if (_args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                var value = _args[i][(name.Length + 1)..];
                _args.RemoveAt(i);
                return value;
            }
        }

        return null;
    }

    public ulong Number(string text, string what) =>
        ShellValues.ParseNumber(text) ?? throw Error($"bad number '{text}' for {what}: give decimal, 0x-prefixed hex or a size like 4KiB");

    public TimeSpan Duration(string text) =>
        ShellValues.ParseDuration(text) is { } d && d > TimeSpan.Zero
            ? d
            : throw Error($"bad duration '{text}': give a positive time like 500ms, 5s or 1.5s");

    public bool OnOff(string text) => text switch
    {
        "on" => true,
        "off" => false,
        _ => throw Error($"expected on or off, got '{text}'"),
    };

    public T Enum<T>(string text, string what)
        where T : struct, System.Enum =>
        System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw Error($"bad {what} '{text}': expected one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
}
