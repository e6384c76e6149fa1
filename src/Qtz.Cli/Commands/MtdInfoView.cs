using System.Globalization;
using Qtz.Cli.Infrastructure;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz mtd info</c>: mtdinfo's layout per device, plus the flash part and the kernel log.</summary>
internal static class MtdInfoView
{
    public static void Render(MtdSession session, MtdInfo? only, bool json, TextWriter stdout)
    {
        var board = session.Board;
        var g = session.Geometry;
        var devices = only is null ? board.Mtd.Devices : [only];
        if (json)
        {
            JsonOutput.Write(stdout, new MtdInfoJson(
                new MtdFlashJson(g.PartName, Convert.ToHexString(g.JedecId).ToLowerInvariant(), g.SizeInBytes, g.SectorSize, g.BlockSize, g.PageSize),
                session.Options.WriteSemantics == Secure.Storage.TzWriteSemantics.Program ? "program" : "erase-program",
                [.. devices.Select(d => new MtdDeviceJson(
                    $"mtd{d.Index}", d.Name, d.Type.SysfsName(), d.Size, d.EraseSize, d.EraseBlockCount, d.WriteSize, d.WriteBufSize, d.SubpageSize,
                    "0x" + ((uint)d.Flags).ToString("x", CultureInfo.InvariantCulture), d.IsWriteable,
                    d.IsPartition ? d.PartitionOffset : null, $"90:{2 * d.Index}"))],
                board.Mtd.Log));
            return;
        }

        stdout.WriteLine($"Flash:                          {g.PartName} (JEDEC {string.Join(' ', g.JedecId.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)))}), {MtdOutcome.Size(g.SizeInBytes)}, behind TZ storage (svc 0x1a)");
        stdout.WriteLine($"Count of MTD devices:           {devices.Count}");
        stdout.WriteLine($"Present MTD devices:            {string.Join(", ", devices.Select(d => $"mtd{d.Index}"))}");
        stdout.WriteLine();
        foreach (var d in devices)
        {
            stdout.WriteLine($"mtd{d.Index}");
            stdout.WriteLine($"Name:                           {d.Name}");
            stdout.WriteLine($"Type:                           {d.Type.SysfsName()}");
            stdout.WriteLine($"Eraseblock size:                {MtdOutcome.Size(d.EraseSize)}");
            stdout.WriteLine($"Amount of eraseblocks:          {d.EraseBlockCount} ({MtdOutcome.Size(d.Size)})");
            stdout.WriteLine($"Minimum input/output unit size: {d.WriteSize} bytes");
            stdout.WriteLine($"Sub-page size:                  {d.SubpageSize} bytes");
            stdout.WriteLine($"Character device major/minor:   90:{2 * d.Index}");
            stdout.WriteLine($"Bad blocks are allowed:         false");
            stdout.WriteLine($"Device is writable:             {(d.IsWriteable ? "true" : "false")}");
            stdout.WriteLine($"Flags:                          0x{(uint)d.Flags:x}");
            if (d.IsPartition) stdout.WriteLine($"Partition offset:               0x{d.PartitionOffset:x}");
            stdout.WriteLine();
        }

        foreach (var line in board.Mtd.Log) stdout.WriteLine(line);
    }
}

internal sealed record MtdFlashJson(string Part, string JedecId, ulong Size, int SectorSize, int BlockSize, int PageSize);

internal sealed record MtdDeviceJson(string Mtd, string Name, string Type, ulong Size, uint EraseSize, ulong EraseBlocks, uint WriteSize,
    uint WriteBufSize, uint SubpageSize, string Flags, bool Writable, ulong? Offset, string Dev);

internal sealed record MtdInfoJson(MtdFlashJson Flash, string TzWrite, IReadOnlyList<MtdDeviceJson> Devices, IReadOnlyList<string> Log);
