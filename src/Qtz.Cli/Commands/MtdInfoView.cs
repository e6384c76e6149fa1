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
            JsonOutput.Write(stdout, new
            {
                flash = new { part = g.PartName, jedecId = Convert.ToHexString(g.JedecId).ToLowerInvariant(), size = g.SizeInBytes, sectorSize = g.SectorSize, blockSize = g.BlockSize, pageSize = g.PageSize },
                tzWrite = session.Options.WriteSemantics == Secure.Storage.TzWriteSemantics.Program ? "program" : "erase-program",
                devices = devices.Select(d => new
                {
                    mtd = $"mtd{d.Index}",
                    name = d.Name,
                    type = d.Type.SysfsName(),
                    size = d.Size,
                    eraseSize = d.EraseSize,
                    eraseBlocks = d.EraseBlockCount,
                    writeSize = d.WriteSize,
                    writeBufSize = d.WriteBufSize,
                    subpageSize = d.SubpageSize,
                    flags = "0x" + ((uint)d.Flags).ToString("x", CultureInfo.InvariantCulture),
                    writable = d.IsWriteable,
                    offset = d.IsPartition ? d.PartitionOffset : (ulong?)null,
                    dev = $"90:{2 * d.Index}",
                }),
                log = board.Mtd.Log,
            });
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
