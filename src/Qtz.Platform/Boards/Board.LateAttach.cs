using Qtz.Kernel.Remoteproc;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.Boards;

/// <summary>
/// The bootloader's part of late attach (spec/socs.md §2.7): before Linux runs, it loads and starts the DSPs
/// <see cref="BoardOptions.LateAttach"/> names (default: the rows that say early_boot) through TrustZone, then
/// time passes until Linux probes them DETACHED and attaches without a PAS call.
/// </summary>
public sealed partial class Board
{
    /// <summary>Time between the bootloader starting DSPs and Linux probing them. UNCONFIRMED: any value past the DSPs' boot latency behaves alike.</summary>
    public static readonly TimeSpan BootloaderToKernel = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether the bootloader starts <paramref name="r"/> (so Linux probes it detached).</summary>
    public bool StartedByBootloader(BoardRemoteproc r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Options.LateAttach is { } names ? names.Contains(r.Name) : r.Data.EarlyBoot;
    }

    /// <summary>The bootloader's PAS loads: DTB image first, then the main image, for each DSP it starts; then Linux comes up.</summary>
    private void StartBootloaderImages()
    {
        if (Options.LateAttach?.FirstOrDefault(n => Remoteprocs.All(r => r.Name != n)) is { } unknown)
            BoardException.Throw($"--late-attach {unknown}: no such remoteproc on this board; have {string.Join(", ", Remoteprocs.Select(r => r.Name))}");
        var started = Remoteprocs.Where(StartedByBootloader).ToList();
        if (started.Count == 0) return;
        foreach (var r in started)
        {
            void Log(string m) => Trace.Add(Clock.Now, BoardTraceKind.Note, "bootloader", $"{r.Name}: {m}");
            var useTzMem = Driver(r.Name)?.Context.UseTzMem ?? false;
            var ok = true;
            if (r.Data.DtbPasId is { } dtbPasId && r.DtbCarveout is { } dtb && r.RequestedDtbFirmware is { } dtbName)
                ok = BootloaderLoad(r, dtbPasId, dtb, dtbName, useTzMem, Log);
            if (ok) BootloaderLoad(r, r.PasId, r.Carveout, r.RequestedFirmware, useTzMem, Log);
        }

        Clock.Advance(BootloaderToKernel);
        Trace.Add(Clock.Now, BoardTraceKind.Note, "bootloader", $"hands over to Linux; started before it: {string.Join(", ", started.Select(r => r.Name))}");
    }

    private bool BootloaderLoad(BoardRemoteproc r, uint pasId, PhysRange carveout, string name, bool useTzMem, Action<string> log)
    {
        try
        {
            using var fw = RequestFirmware(r, name);
            var ret = BootloaderPasLoader.Start(Scm, pasId, carveout, useTzMem, fw, log);
            return ret == 0;
        }
        catch (FileNotFoundException e)
        {
            log($"not started: {e.Message}");
            return false;
        }
    }
}
