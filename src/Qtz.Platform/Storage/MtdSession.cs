using Qtz.Kernel.Mtd;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.Partitions;
using Qtz.Soc.Time;

namespace Qtz.Platform.Storage;

/// <summary>
/// One use of a flash image by the tool: opens (or creates) the image, builds the storage board over
/// it, and runs an operation on a chosen MTD device — with an optional power cut, placed by a dry run
/// on a copy-on-write view when it is given as a percentage.
/// </summary>
public sealed class MtdSession : IDisposable
{
    private readonly StorageFlash _flash;

    public MtdSession(string imagePath, ulong? createSize, bool writable, StorageBoardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MtdParts is { } parts) MtdPartsSyntax.Parse(parts); // malformed strings are bad input, before anything opens
        _flash = createSize is { } size ? FlashImage.Create(imagePath, size) : FlashImage.Open(imagePath, readOnly: !writable);
        Options = options;
        Board = new StorageBoard(_flash, options);
        if (Board.ProbeResult != 0)
        {
            Board.Dispose();
            throw new InvalidOperationException($"the SCM storage driver did not probe ({MtdErrno.Describe(Board.ProbeResult)}): {string.Join("; ", Board.Mtd.Log)}");
        }

        if (options.MtdParts is { } mtdparts && !MtdPartsSyntax.Parse(mtdparts).Any(d => d.MtdId == Board.Driver!.Mtd.Name))
        {
            Board.Dispose();
            throw new ArgumentException($"--parts names no device '{Board.Driver!.Mtd.Name}' (the mtd-id before ':' must be the MTD name)");
        }
    }

    public StorageBoardOptions Options { get; }

    public StorageBoard Board { get; }

    public NorGeometry Geometry => _flash.Geometry;

    public MtdInfo Device(string? name)
    {
        var device = Board.FindDevice(name ?? "mtd0");
        return device ?? throw new ArgumentException($"no MTD device '{name}' (have: {string.Join(", ", Board.Mtd.Devices.Select(d => $"mtd{d.Index} \"{d.Name}\""))})");
    }

    /// <summary>Runs <paramref name="operation"/>; with a plan, power is cut at the planned instant and a <see cref="PowerCutException"/> reports it.</summary>
    public T Run<T>(string deviceName, PowerCutPlan? plan, Func<FlashTool, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var start = Board.Clock.Now;
        if (plan is not null)
        {
            var after = plan.After ?? DryRunDuration(deviceName, operation) * (plan.Percent!.Value / 100.0);
            Board.Chip.SchedulePowerCut(start + after);
        }

        try
        {
            var result = operation(new FlashTool(Board, Device(deviceName)));
            if (plan is not null && !Board.Chip.IsPowered) throw PowerCut(plan, start);
            return result;
        }
        catch (MtdRequestException) when (plan is not null && !Board.Chip.IsPowered)
        {
            throw PowerCut(plan, start);
        }
    }

    public void Dispose() => Board.Dispose();

    private TimeSpan DryRunDuration<T>(string deviceName, Func<FlashTool, T> operation)
    {
        using var dry = new StorageBoard(new StorageFlash(_flash.Geometry, new OverlayNorStorage(new NonDisposing(_flash.Storage))), Options);
        var start = dry.Clock.Now;
        operation(new FlashTool(dry, dry.FindDevice(deviceName) ?? throw new ArgumentException($"no MTD device '{deviceName}'"), quiet: true));
        return dry.Clock.Now - start;
    }

    private PowerCutException PowerCut(PowerCutPlan plan, global::Qtz.Soc.Time.VirtualTime start)
    {
        var chip = Board.Chip;
        var at = chip.PowerCutAt!.Value;
        var what = chip.InterruptedOperation is { } op
            ? $"during a {op.Kind.ToString().ToLowerInvariant()} of 0x{op.Address:x}+0x{op.Length:x}, which was left part-done"
            : "between flash operations, so every unit is either done or untouched";
        chip.Flush();
        return new PowerCutException($"power cut at {plan} ({(at - start).TotalMilliseconds:0.###} ms virtual into the command) {what}; the image holds what the chip would hold");
    }

    // The dry run's overlay must not close the real image when it is disposed.
    private sealed class NonDisposing(INorStorage inner) : INorStorage
    {
        public ulong Length => inner.Length;

        public bool IsReadOnly => true;

        public void Read(ulong offset, Span<byte> destination) => inner.Read(offset, destination);

        public void Write(ulong offset, ReadOnlySpan<byte> source) => throw new InvalidOperationException("dry runs never write the image");

        public bool TryView(ulong offset, int length, out ReadOnlySpan<byte> bytes) => inner.TryView(offset, length, out bytes);

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
