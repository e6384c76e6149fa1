using Qtz.Cli.Infrastructure;

namespace Qtz.Cli;

internal static class Program
{
    private static int Main(string[] args) => QtzApp.Run(args, new LazyWriter(() => Console.Out), new LazyWriter(() => Console.Error));
}
