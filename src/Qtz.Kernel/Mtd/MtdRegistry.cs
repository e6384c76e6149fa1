using Qtz.Kernel.Mtd.Partitions;

using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd;

/// <summary>
/// The MTD device table (the mtd_idr) and registration: add_mtd_device's rules (§1.3) and
/// mtd_device_parse_register's choice between the master and its partitions. Messages the kernel
/// would print go to <see cref="Log"/>; a successful probe of a good device prints nothing.
/// </summary>
public sealed class MtdRegistry
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, MtdInfo> _devices = [];
    private readonly List<string> _log = [];

    /// <summary>CONFIG_MTD_PARTITIONED_MASTER: register the master even when it has partitions.</summary>
    public bool PartitionedMaster { get; init; }

    public IReadOnlyList<MtdInfo> Devices
    {
        get { lock (_gate) return [.. _devices.Values]; }
    }

    public IReadOnlyList<string> Log
    {
        get { lock (_gate) return [.. _log]; }
    }

    public MtdInfo? Find(int index)
    {
        lock (_gate) return _devices.GetValueOrDefault(index);
    }

    public MtdInfo? Find(string name)
    {
        lock (_gate) return _devices.Values.FirstOrDefault(d => d.Name == name);
    }

    internal void Print(string line)
    {
        lock (_gate) _log.Add(line);
    }

    /// <summary>add_mtd_device: 0, or −EEXIST / −EINVAL. A zero writesize is a kernel BUG.</summary>
    public int Add(MtdInfo mtd)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        lock (_gate)
        {
            if (_devices.ContainsValue(mtd)) return -EEXIST;
        }

        if (mtd.WriteSize == 0)
            throw new InvalidOperationException($"BUG: mtd '{mtd.Name}' registered with writesize 0 (add_mtd_device BUG_ON)");
        var ops = mtd.Master.Operations;
        if ((ops.Write is not null && ops.WriteOob is not null) || (ops.Read is not null && ops.ReadOob is not null))
        {
            Print("MTD driver cannot provide both _write and _write_oob (or _read and _read_oob)");
            return -EINVAL;
        }

        if ((mtd.EraseSize == 0 || ops.Erase is null) && (mtd.Flags & MtdFlags.NoErase) == 0)
        {
            Print($"mtd '{mtd.Name}': no erase operation and MTD_NO_ERASE not set");
            return -EINVAL;
        }

        if (mtd.BitflipThreshold == 0) mtd.BitflipThreshold = mtd.EccStrength;
        mtd.ComputeShifts();
        lock (_gate)
        {
            var index = 0;
            while (_devices.ContainsKey(index)) index++;
            mtd.Index = index;
            _devices[index] = mtd;
        }

        if ((mtd.Flags & (MtdFlags.Writeable | MtdFlags.PowerupLock)) == (MtdFlags.Writeable | MtdFlags.PowerupLock))
            _ = MtdCore.Unlock(mtd, 0, mtd.Size); // errors ignored, as in the kernel
        return 0;
    }

    /// <summary>del_mtd_device: frees the index for reuse.</summary>
    public int Remove(MtdInfo mtd)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        lock (_gate)
        {
            if (mtd.Index < 0 || !_devices.Remove(mtd.Index)) return -ENODEV;
        }

        mtd.Index = -1;
        return 0;
    }

    /// <summary>
    /// mtd_device_parse_register: the first parser with partitions wins (spec/mtd.md §1.9), else the
    /// driver's fallback table; the master is registered on its own only when there are none (or
    /// with <see cref="PartitionedMaster"/>). Returns 0 or −errno; <paramref name="registered"/> lists what appeared.
    /// </summary>
    public int ParseRegister(MtdInfo master, IEnumerable<IMtdPartitionParser> parsers, IReadOnlyList<MtdPartition>? fallback,
        out IReadOnlyList<MtdInfo> registered)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(parsers);
        registered = [];
        IReadOnlyList<MtdPartition>? found = null;
        var firstError = 0;
        foreach (var parser in parsers)
        {
            var ret = parser.Parse(master, out var parts);
            if (ret > 0)
            {
                Print($"{ret} {parser.Name} partitions found on MTD device {master.Name}");
                found = parts;
                break;
            }

            if (ret < 0 && firstError == 0) firstError = ret;
        }

        found ??= fallback is { Count: > 0 } ? fallback : null;
        if (found is null && firstError < 0) return firstError;
        if (found is null || PartitionedMaster)
        {
            var ret = Add(master);
            if (ret < 0) return ret;
            registered = [master];
            if (found is null) return 0;
        }

        var parts2 = new List<MtdInfo>(registered);
        var err = MtdPartitions.AddAll(this, master, found, parts2);
        registered = parts2;
        return err;
    }
}
