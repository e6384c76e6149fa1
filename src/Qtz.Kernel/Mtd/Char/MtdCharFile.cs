using System.Buffers.Binary;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd.Char;

/// <summary>
/// An open /dev/mtdN (or /dev/mtdNro): read, write, lseek and the ioctls of drivers/mtd/mtdchar.c
/// (spec/mtd.md §1.10). Results are byte counts or −errno, as the syscalls return them.
/// </summary>
public sealed class MtdCharFile
{
    // mtd_kmalloc_up_to is bounded by KMALLOC_MAX_SIZE (4 MiB on arm64 with 4 KiB pages).
    private const int MaxChunk = 4 << 20;

    private MtdCharFile(MtdInfo mtd, bool writable)
    {
        Mtd = mtd;
        CanWrite = writable;
    }

    public MtdInfo Mtd { get; }

    public bool CanWrite { get; }

    public long Position { get; private set; }

    /// <summary>open(): the ro minor and non-writeable devices refuse write access; absent devices are gone.</summary>
    public static int Open(MtdInfo mtd, bool forWrite, out MtdCharFile? file, bool readOnlyMinor = false)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        file = null;
        if (readOnlyMinor && forWrite) return -EACCES;
        if (mtd.Type == MtdType.Absent) return -ENODEV;
        if (forWrite && !mtd.IsWriteable) return -EACCES;
        file = new MtdCharFile(mtd, forWrite);
        return 0;
    }

    /// <summary>close(): a read-write descriptor syncs the device.</summary>
    public void Close()
    {
        if (CanWrite) MtdCore.Sync(Mtd);
    }

    /// <summary>fixed_size_llseek bounded by the device size.</summary>
    public long Seek(long offset, SeekOrigin origin)
    {
        var basePos = origin switch { SeekOrigin.Begin => 0, SeekOrigin.Current => Position, _ => (long)Mtd.Size };
        var target = basePos + offset;
        if (target < 0 || (ulong)target > Mtd.Size) return -EINVAL;
        Position = target;
        return target;
    }

    public long Read(Span<byte> buffer)
    {
        if ((ulong)Position >= Mtd.Size) return 0;
        var count = (long)Math.Min((ulong)buffer.Length, Mtd.Size - (ulong)Position);
        long total = 0;
        while (count > 0)
        {
            var len = (int)Math.Min(count, MaxChunk);
            var ret = MtdCore.Read(Mtd, Position, buffer.Slice((int)total, len), out var retlen);
            if (ret != 0 && ret != -EUCLEAN && ret != -EBADMSG) return ret;
            Position += (long)retlen;
            total += (long)retlen;
            count -= (long)retlen;
            if (retlen == 0) break;
        }

        return total;
    }

    public long Write(ReadOnlySpan<byte> buffer)
    {
        if ((ulong)Position >= Mtd.Size) return -ENOSPC;
        var count = (long)Math.Min((ulong)buffer.Length, Mtd.Size - (ulong)Position);
        long total = 0;
        while (count > 0)
        {
            var len = (int)Math.Min(count, MaxChunk);
            var ret = MtdCore.Write(Mtd, Position, buffer.Slice((int)total, len), out var retlen);
            if (ret != 0) return ret == -ENOSPC && total > 0 ? total : ret;
            Position += (long)retlen;
            total += (long)retlen;
            count -= (long)retlen;
            if (retlen == 0) break;
        }

        return total;
    }

    /// <summary>MEMGETINFO.</summary>
    public int GetInfo(out MtdInfoUser info)
    {
        info = MtdInfoUser.From(Mtd);
        return 0;
    }

    /// <summary>MEMERASE64 (MEMERASE takes u32 start and length).</summary>
    public int Erase(ulong start, ulong length)
    {
        if (!CanWrite) return -EPERM;
        return MtdCore.Erase(Mtd, new EraseInfo(start, length));
    }

    /// <summary>
    /// ioctl(fd, cmd, arg): <paramref name="arg"/> is the user structure (in and out);
    /// <paramref name="value"/> is the argument itself for commands that take a value (MTDFILEMODE).
    /// </summary>
    public int Ioctl(uint cmd, Span<byte> arg, ulong value = 0)
    {
        if (!MtdIoctl.IsKnown(cmd)) return -ENOTTY;
        if (MtdIoctl.IsDangerous(cmd) && !CanWrite) return -EPERM;
        var ops = Mtd.Master.Operations;
        switch (cmd)
        {
            case MtdIoctl.MEMGETINFO:
                MtdInfoUser.From(Mtd).WriteTo(arg);
                return 0;
            case MtdIoctl.MEMERASE:
                return MtdCore.Erase(Mtd, new EraseInfo(U32(arg, 0), U32(arg, 4)));
            case MtdIoctl.MEMERASE64:
                return MtdCore.Erase(Mtd, new EraseInfo(U64(arg, 0), U64(arg, 8)));
            case MtdIoctl.MEMLOCK:
                return MtdCore.Lock(Mtd, U32(arg, 0), U32(arg, 4));
            case MtdIoctl.MEMUNLOCK:
                return MtdCore.Unlock(Mtd, U32(arg, 0), U32(arg, 4));
            case MtdIoctl.MEMISLOCKED:
                return MtdCore.IsLocked(Mtd, U32(arg, 0), U32(arg, 4));
            case MtdIoctl.MEMGETREGIONCOUNT:
                BinaryPrimitives.WriteInt32LittleEndian(arg, Mtd.EraseRegions.Count);
                return 0;
            case MtdIoctl.MEMGETREGIONINFO:
                return RegionInfo(arg);
            case MtdIoctl.MEMGETBADBLOCK:
                return MtdCore.BlockIsBad(Mtd, (long)U64(arg, 0));
            case MtdIoctl.MEMSETBADBLOCK:
                return MtdCore.BlockMarkBad(Mtd, (long)U64(arg, 0));
            case MtdIoctl.ECCGETSTATS:
                var s = Mtd.EccStats;
                BinaryPrimitives.WriteUInt32LittleEndian(arg, s.Corrected);
                BinaryPrimitives.WriteUInt32LittleEndian(arg[4..], s.Failed);
                BinaryPrimitives.WriteUInt32LittleEndian(arg[8..], s.BadBlocks);
                BinaryPrimitives.WriteUInt32LittleEndian(arg[12..], s.BbtBlocks);
                return 0;
            case MtdIoctl.OTPSELECT:
                return OtpSelect(BinaryPrimitives.ReadInt32LittleEndian(arg));
            case MtdIoctl.MTDFILEMODE:
                Position = 0;
                return value switch { 0 => 0, 1 or 2 => OtpSelect((int)value), 3 => ops.ReadOob is null ? -EOPNOTSUPP : 0, _ => -EINVAL };
            case MtdIoctl.MEMWRITEOOB or MtdIoctl.MEMREADOOB:
                if (U32(arg, 4) > 4096) return -EINVAL;
                return -EOPNOTSUPP;
            case MtdIoctl.MEMWRITEOOB64 or MtdIoctl.MEMREADOOB64:
                if (U32(arg, 12) > 4096) return -EINVAL;
                return -EOPNOTSUPP;
            case MtdIoctl.MEMWRITE:
                return ops.WriteOob is null ? -EOPNOTSUPP : -EINVAL;
            case MtdIoctl.MEMREAD:
                return ops.ReadOob is null ? -EOPNOTSUPP : -EINVAL;
            case MtdIoctl.OTPGETREGIONCOUNT or MtdIoctl.OTPGETREGIONINFO or MtdIoctl.OTPLOCK or MtdIoctl.OTPERASE:
                return -EINVAL; // only meaningful in an OTP file mode, which a NOR without OTP never enters
            case MtdIoctl.ECCGETLAYOUT or MtdIoctl.MEMGETOOBSEL:
                return -EOPNOTSUPP; // no OOB layout on NOR
            default: // BLKRRPART
                return 0;
        }
    }

    private int RegionInfo(Span<byte> arg)
    {
        var index = BinaryPrimitives.ReadUInt32LittleEndian(arg[12..]);
        if (index >= (uint)Mtd.EraseRegions.Count) return -EINVAL;
        var region = Mtd.EraseRegions[(int)index];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, unchecked((uint)region.Offset));
        BinaryPrimitives.WriteUInt32LittleEndian(arg[4..], region.EraseSize);
        BinaryPrimitives.WriteUInt32LittleEndian(arg[8..], region.NumBlocks);
        return 0;
    }

    // Without OTP hooks factory and user modes are not supported; other values are invalid.
    private int OtpSelect(int mode)
    {
        Position = 0;
        return mode switch { 0 => 0, 1 or 2 => -EOPNOTSUPP, _ => -EINVAL };
    }

    private static uint U32(ReadOnlySpan<byte> arg, int at) => BinaryPrimitives.ReadUInt32LittleEndian(arg[at..]);

    private static ulong U64(ReadOnlySpan<byte> arg, int at) => BinaryPrimitives.ReadUInt64LittleEndian(arg[at..]);
}
