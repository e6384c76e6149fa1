namespace Qtz.Bench;

/// <summary>
/// What a real arm64 kernel under QEMU measured against qtz's TrustZone (<c>qtz linux bench</c>), handed to
/// <c>qtz bench</c> by the tool: <see cref="Seconds"/> for the time rows, <see cref="MiBPerSecond"/> for throughput.
/// </summary>
public sealed record GuestFigures(
    double SmcRoundTripSeconds,
    double BootToInitSeconds,
    double StorageSuiteSeconds,
    double RealWriteMiBPerSecond,
    double ModelWriteMiBPerSecond,
    double RealReadMiBPerSecond,
    double ModelReadMiBPerSecond,
    string Detail);

/// <summary>
/// The Linux-in-the-loop rows. Measuring them boots QEMU, so the tool passes a measurement in
/// (<see cref="BenchOptions.Guest"/>); without one (no <c>qtz linux setup</c>, or <c>--quick</c>) every row is
/// still printed, saying why it was skipped, so the table's rows never depend on the options.
/// </summary>
internal static class GuestComparisons
{
    private const string Inputs = "Debian's arm64 6.12 under qemu-system-aarch64 (TCG) with qtz as its TrustZone";
    private const string Transfers = "4 MiB of 256 KiB transfers on /dev/mtd0 (erase-program TZ)";

    public static IEnumerable<BenchResult> Results(BenchRun run)
    {
        GuestFigures? figures = null;
        string? why = run.Options.Guest is null ? "needs the Linux guest (run: qtz linux setup; not measured with --quick)" : null;
        if (run.Options.Guest is { } measure)
        {
            try
            {
                figures = measure();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                why = "the guest run failed: " + e.Message;
            }
        }

        yield return Time(run, "smc round trip from the guest kernel (median)", $"{Inputs}: 2000 INFO calls", figures?.SmcRoundTripSeconds, figures, why,
            new BenchTarget(BenchTargetKind.SecondsAtMost, 100e-6, "≤ 100 µs median"));
        yield return Time(run, "boot to the guest's /init", Inputs, figures?.BootToInitSeconds, figures, why,
            new BenchTarget(BenchTargetKind.SecondsAtMost, 5, "≤ 5 s"));
        yield return Time(run, "qtz linux test storage (whole)", "the real posted storage driver's suite, both TZ WRITE semantics", figures?.StorageSuiteSeconds, figures, why,
            new BenchTarget(BenchTargetKind.SecondsAtMost, 60, "≤ 60 s"));
        yield return Throughput(run, "mtd write: real posted driver vs qtz's C# driver model", figures?.RealWriteMiBPerSecond, figures?.ModelWriteMiBPerSecond, figures, why);
        yield return Throughput(run, "mtd read: real posted driver vs qtz's C# driver model", figures?.RealReadMiBPerSecond, figures?.ModelReadMiBPerSecond, figures, why);
    }

    private static BenchResult Time(BenchRun run, string name, string inputs, double? seconds, GuestFigures? figures, string? why, BenchTarget target) =>
        seconds is { } s && figures is not null
            ? new BenchResult(name, inputs, run.Machine, Figure("qtz linux", s, null, figures.Detail), null, null, target)
            : new BenchResult(name, inputs, run.Machine, null, null, why ?? "not measured", target);

    /// <summary>Time per 4 MiB from MiB/s, so the ratio column reads as for every other row (below 1: the real driver is faster).</summary>
    private static BenchResult Throughput(BenchRun run, string name, double? real, double? model, GuestFigures? figures, string? why)
    {
        if (real is not > 0 || model is not > 0 || figures is null) return new BenchResult(name, Transfers, run.Machine, null, null, why ?? "not measured");
        return new BenchResult(name, Transfers, run.Machine,
            Figure("real driver", 4 / real.Value, real, figures.Detail), Figure("C# driver model", 4 / model.Value, model, "in process, same transfers"));
    }

    private static BenchFigure Figure(string tool, double seconds, double? mibPerSecond, string detail) =>
        new(tool, detail, seconds, seconds, seconds, 1, [seconds], mibPerSecond);
}
