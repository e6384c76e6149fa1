using System.Text;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// A writer that creates the one it forwards to on first use. <c>Console.Out</c> and <c>Console.Error</c>
/// each cost an encoding lookup and a stream when first touched; a command that writes its output through
/// its own buffered stream (dt dump) and has nothing to say on stderr never pays for them.
/// </summary>
internal sealed class LazyWriter(Func<TextWriter> create) : TextWriter
{
    private readonly Lazy<TextWriter> _target = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public override Encoding Encoding => _target.Value.Encoding;

    public override IFormatProvider FormatProvider => _target.Value.FormatProvider;

    public override void Write(char value) => _target.Value.Write(value);

    public override void Write(string? value) => _target.Value.Write(value);

    public override void Write(char[] buffer, int index, int count) => _target.Value.Write(buffer, index, count);

    public override void Write(ReadOnlySpan<char> buffer) => _target.Value.Write(buffer);

    public override void WriteLine() => _target.Value.WriteLine();

    public override void WriteLine(string? value) => _target.Value.WriteLine(value);

    public override void WriteLine(ReadOnlySpan<char> buffer) => _target.Value.WriteLine(buffer);

    public override void Flush()
    {
        if (_target.IsValueCreated) _target.Value.Flush();
    }
}
