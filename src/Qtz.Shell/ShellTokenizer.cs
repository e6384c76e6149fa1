using System.Text;

namespace Qtz.Shell;

/// <summary>One statement's words and the line it starts on.</summary>
public sealed record ShellStatement(int Line, IReadOnlyList<string> Words);

/// <summary>
/// Splits script text into statements: newlines and <c>;</c> end a statement, <c>#</c> at the start
/// of a word comments out the rest of the line, "double quotes" (with \" and \\ escapes) and
/// 'single quotes' (literal) keep spaces, semicolons and # inside one word. The interactive prompt
/// and scripts use this same tokenizer.
/// </summary>
public static class ShellTokenizer
{
    public static IReadOnlyList<ShellStatement> Split(string text, string source, int firstLine = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        var statements = new List<ShellStatement>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
            SplitLine(lines[i], firstLine + i, source, statements);
        return statements;
    }

    private static void SplitLine(string line, int lineNumber, string source, List<ShellStatement> statements)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                Flush();
                continue;
            }

            if (c == ';')
            {
                Flush();
                EndStatement();
                continue;
            }

            if (c == '#' && !inWord)
                break;
            inWord = true;
            if (c is '"' or '\'')
                i = ReadQuoted(line, i, word, lineNumber, source);
            else
                word.Append(c);
        }

        Flush();
        EndStatement();

        void Flush()
        {
            if (!inWord) return;
            words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }

        void EndStatement()
        {
            if (words.Count > 0)
                statements.Add(new ShellStatement(lineNumber, [.. words]));
            words.Clear();
        }
    }

    /// <summary>Appends a quoted run starting at <paramref name="open"/>; returns the index of the closing quote.</summary>
    private static int ReadQuoted(string line, int open, StringBuilder word, int lineNumber, string source)
    {
        var quote = line[open];
        for (var i = open + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == quote)
                return i;
            if (quote == '"' && c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                c = line[++i];
            word.Append(c);
        }

        throw new ShellScriptException(source, lineNumber, $"unterminated {quote} quote starting at column {open + 1}");
    }
}
