using Qtz.Kernel.Mtd;
using Qtz.Kernel.Mtd.Char;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Platform.Storage;

/// <summary>Where <see cref="FlashTool.Copy"/> found the flash to differ from the file.</summary>
public readonly record struct CopyMismatch(ulong Offset, ulong Length);

/// <summary>
/// mtd-utils-style operations on one MTD device through /dev/mtdN semantics (<see cref="MtdCharFile"/>):
/// read, raw write (like mtd_debug write: no erase), erase (like flash_erase), copy (like flashcp:
/// erase, write, verify). Every request is checked against the device before the first byte changes,
/// so a refused command leaves the flash as it was; errors carry the errno the MTD layer returned.
/// </summary>
public sealed class FlashTool(StorageBoard board, MtdInfo device, bool quiet = false)
{
    private const int Chunk = 4 << 20;

    public MtdInfo Device => device;

    public StorageBoard Board => board;

    /// <summary>
    /// Reads [offset, offset + length) to <paramref name="output"/>. Double-buffered: the output file
    /// is written on another core while the next chunk comes through the MTD stack.
    /// </summary>
    public ulong Read(ulong offset, ulong length, Stream output, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _ = CheckRange(offset, length, "read");
        var file = Open(forWrite: false);
        Check(file.Seek((long)offset, SeekOrigin.Begin), "seek");
        var size = (int)Math.Min(Chunk, Math.Max(1, length));
        byte[][] buffers = [new byte[size], new byte[length > (ulong)size ? size : 0]];
        var writing = Task.CompletedTask;
        try
        {
            for (ulong done = 0, turn = 0; done < length; turn++)
            {
                var buffer = buffers[turn & 1];
                var n = (int)Math.Min((ulong)buffer.Length, length - done);
                var got = (int)Check(file.Read(buffer.AsSpan(0, n)), "read");
                if (got == 0) break;
                writing.GetAwaiter().GetResult();
                writing = Task.Run(() => output.Write(buffer, 0, got));
                done += (ulong)got;
                Report(progress, done, length);
            }

            writing.GetAwaiter().GetResult();
        }
        finally
        {
            Settle(writing);
        }

        return length;
    }

    /// <summary>
    /// Writes <paramref name="length"/> bytes of <paramref name="input"/> at <paramref name="offset"/>
    /// without erasing. Double-buffered: the next chunk of the input file is read on another core while
    /// this one goes through the MTD stack.
    /// </summary>
    public ulong Write(ulong offset, Stream input, ulong length, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        _ = CheckRange(offset, length, "write");
        var file = Open(forWrite: true);
        Check(file.Seek((long)offset, SeekOrigin.Begin), "seek");
        var size = (int)Math.Min(Chunk, Math.Max(1, length));
        byte[][] buffers = [new byte[size], new byte[length > (ulong)size ? size : 0]];
        int Fill(byte[] buffer, ulong remaining) =>
            input.ReadAtLeast(buffer.AsSpan(0, (int)Math.Min((ulong)buffer.Length, remaining)), 1, throwOnEndOfStream: false);
        var reading = Task.FromResult(Fill(buffers[0], length));
        try
        {
            for (ulong done = 0, turn = 0; done < length; turn++)
            {
                var n = reading.GetAwaiter().GetResult();
                if (n == 0) break;
                var next = buffers[(turn + 1) & 1];
                var after = done + (ulong)n;
                reading = after < length ? Task.Run(() => Fill(next, length - after)) : Task.FromResult(0);
                Check(file.Write(buffers[turn & 1].AsSpan(0, n)), "write");
                done = after;
                Report(progress, done, length);
            }
        }
        finally
        {
            Settle(reading);
        }

        file.Close();
        return length;
    }

    /// <summary>Erases [offset, offset + length) one eraseblock at a time (flash_erase's per-block mode).</summary>
    public ulong Erase(ulong offset, ulong length, Action<double>? progress = null)
    {
        _ = CheckRange(offset, length, "erase");
        var eb = device.EraseSize;
        if (eb == 0 || offset % eb != 0 || length % eb != 0)
            throw Refused(-EINVAL, $"erase of 0x{offset:x}+0x{length:x} on mtd{device.Index} is not aligned to its 0x{eb:x}-byte eraseblocks");
        var file = Open(forWrite: true);
        for (ulong done = 0; done < length; done += eb)
        {
            Check(file.Erase(offset + done, eb), "erase");
            Report(progress, done + eb, length);
        }

        file.Close();
        return length;
    }

    /// <summary>flashcp: erase the blocks the data covers, write it, read it back; null when it matches.</summary>
    public CopyMismatch? Copy(ReadOnlySpan<byte> data, ulong offset, Action<string, double>? progress = null)
    {
        var eb = device.EraseSize;
        if ((ulong)data.Length > device.Size || offset > device.Size - (ulong)data.Length)
            throw Refused(-ENOSPC, $"{data.Length} bytes at 0x{offset:x} won't fit into mtd{device.Index} ({device.Size} bytes)");
        if (eb != 0 && offset % eb != 0)
            throw Refused(-EINVAL, $"copy offset 0x{offset:x} is not on an eraseblock boundary (0x{eb:x})");
        var eraseLength = ((ulong)data.Length + eb - 1) / eb * eb;
        eraseLength = Math.Min(eraseLength, device.Size - offset);
        Erase(offset, eraseLength, p => progress?.Invoke("Erasing blocks", p));
        using (var input = new MemoryStream(data.ToArray(), writable: false))
            Write(offset, input, (ulong)data.Length, p => progress?.Invoke("Writing data", p));
        return Verify(data, offset, p => progress?.Invoke("Verifying data", p));
    }

    /// <summary>Reads the flash back and compares it with <paramref name="data"/>; the first differing eraseblock-sized run, or null.</summary>
    public CopyMismatch? Verify(ReadOnlySpan<byte> data, ulong offset, Action<double>? progress = null)
    {
        _ = CheckRange(offset, (ulong)data.Length, "verify");
        var file = Open(forWrite: false);
        Check(file.Seek((long)offset, SeekOrigin.Begin), "seek");
        var buffer = new byte[(int)Math.Min(Chunk, Math.Max(1, data.Length))];
        for (var done = 0; done < data.Length;)
        {
            var n = Math.Min(buffer.Length, data.Length - done);
            var got = (int)Check(file.Read(buffer.AsSpan(0, n)), "read");
            var diff = buffer.AsSpan(0, got).CommonPrefixLength(data.Slice(done, got));
            if (diff < got || got < n) return new CopyMismatch(offset + (ulong)(done + diff), Math.Max(1, device.WriteSize));
            done += n;
            Report(progress, (ulong)done, (ulong)data.Length);
        }

        return null;
    }

    private MtdCharFile Open(bool forWrite)
    {
        var ret = MtdCharFile.Open(device, forWrite, out var file);
        if (ret == -EACCES)
            throw Refused(ret, $"mtd{device.Index} \"{device.Name}\" is read-only ({(device.IsPartition ? "a read-only or misaligned partition, or " : "")}writes need --allow-write)");
        Check(ret, "open");
        return file!;
    }

    /// <summary>Refuses a range that is not inside the device, before anything is done.</summary>
    public bool CheckRange(ulong offset, ulong length, string what)
    {
        if (offset > device.Size || length > device.Size - offset)
            throw Refused(-EINVAL, $"{what} of 0x{offset:x}+0x{length:x} is past the end of mtd{device.Index} \"{device.Name}\" (0x{device.Size:x} bytes)");
        return true;
    }

    private long Check(long ret, string what)
    {
        if (ret >= 0) return ret;
        if (!board.Chip.IsPowered) throw Refused((int)ret, "power lost");
        throw Refused((int)ret, $"{what} on mtd{device.Index} \"{device.Name}\" failed: {Describe((int)ret)}");
    }

    // On the way out of a failed transfer: let the helper task finish with its buffer; its own error,
    // if any, is secondary to the one already propagating (on success it has been observed already).
    private static void Settle(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException)
        {
        }
    }

    private static MtdRequestException Refused(int errno, string message) => new(errno, message);

    private void Report(Action<double>? progress, ulong done, ulong total)
    {
        if (!quiet && total != 0) progress?.Invoke((double)done / total);
    }
}
