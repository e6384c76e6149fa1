using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Kernel.Mtd;
using Qtz.Kernel.Mtd.SelfTests;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz mtd test read|page|speed|stress|torture</c>: the kernel MTD test modules' checks.</summary>
internal static class MtdTestCommand
{
    internal static Command Create()
    {
        var common = new MtdCommonOptions();
        var which = new Argument<string>("TEST") { Description = "read, page, speed, stress or torture" };
        var count = new Option<int>("--count") { Description = "stress: operations (default 10000)", DefaultValueFactory = _ => 10_000 };
        var cycles = new Option<int>("--cycles") { Description = "torture: erase cycles (default 10)", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed for speed/stress data", DefaultValueFactory = _ => 1 };
        var command = new Command("test", "Run a kernel MTD test (destructive ones need --allow-write); speed in virtual and wall-clock MiB/s");
        common.AddTo(command);
        command.Arguments.Add(which);
        command.Options.Add(count);
        command.Options.Add(cycles);
        command.Options.Add(seed);
        command.SetAction(parse => MtdOutcome.Run(() =>
        {
            var test = parse.GetValue(which);
            var destructive = test is "speed" or "stress" or "torture";
            if (test is not ("read" or "page" or "speed" or "stress" or "torture"))
                throw new CliUsageException($"unknown MTD test '{test}': expected read, page, speed, stress or torture");
            using var session = common.Open(parse, writable: destructive);
            var mtd = session.Device(parse.GetValue(common.Device));
            if (destructive && !mtd.IsWriteable)
                throw new CliUsageException($"mtd{mtd.Index} is read-only: the {test} test wipes data and needs --allow-write");
            var clock = session.Board.Clock;
            var context = new MtdTestContext(mtd, test + "test", () => clock.Now.SinceBoot);
            var random = new Random(parse.GetValue(seed));
            var speeds = new List<string>();
            var result = test switch
            {
                "read" => MtdKernelTests.ReadTest(context),
                "page" => MtdKernelTests.RequiresNand(context),
                "speed" => MtdKernelTests.SpeedTest(context, random, speeds.Add),
                "stress" => MtdKernelTests.StressTest(context, random, parse.GetValue(count)),
                _ => MtdKernelTests.TortureTest(context, parse.GetValue(cycles)),
            };
            foreach (var line in result.Lines) Console.Out.WriteLine(line);
            foreach (var line in speeds) Console.Out.WriteLine(line);
            if (!result.Passed) throw new CheckFailedException($"mtd_{test}test failed: {result.Errors} errors, return {result.Return}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
