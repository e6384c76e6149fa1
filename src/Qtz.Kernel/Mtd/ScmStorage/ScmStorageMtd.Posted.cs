using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.Partitions;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Bus;
using Qtz.Soc.Nor.StorageWire;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd.ScmStorage;

/// <summary>
/// The v2 series as posted (<see cref="ScmStorageDriverVariant.V2AsPosted"/>), reproduced call for call
/// so its SCM trace equals the real driver's: qcom_scm_storage_send_cmd() allocates header + data
/// from the SCM driver's pool for every call (ON_DEMAND, max 256 KiB: a 252 KiB or larger chunk cannot
/// fit once the pool holds anything, so it fails with -ENOMEM before any SMC), sets data_ptr past the
/// header even when there is no data (ERASE), copies data in before the call and out after it. The
/// driver moves chunks of up to its 256 KiB buffer, reads a block before a partial write and writes
/// the block back whole (a plain copy, not an AND), and registers the MTD writeable.
/// </summary>
public sealed partial class ScmStorageMtd
{
    /// <summary>The posted driver's buffer_size (SZ_256K), independent of the geometry.</summary>
    public const ulong PostedBufferBytes = 256 << 10;

    private static int ProbePosted(Scm scm, MtdRegistry registry, ScmStorageOptions options, IEnumerable<IMtdPartitionParser> parsers, out ScmStorageMtd? device)
    {
        device = null;
        Span<byte> raw = stackalloc byte[StorageInfo.Size];
        // qcom_scm_storage_init() (patch 1/2) asks once before it registers the platform device, the probe once more.
        var ret = SendPosted(scm, StorageCommandId.GetInfo, 0, raw, StorageInfo.Size);
        if (ret < 0) return -ENODEV;
        ret = SendPosted(scm, StorageCommandId.GetInfo, 0, raw, StorageInfo.Size);
        if (ret < 0)
        {
            registry.Print($"qcom_scm_storage: failed to get storage info: {ret}");
            return ret;
        }

        var info = StorageInfo.Parse(raw);
        if (info.BlockSize == 0 || info.TotalBlocks == 0)
        {
            registry.Print("qcom_scm_storage: invalid storage geometry");
            return -EINVAL;
        }

        if (info.BlockSize > PostedBufferBytes)
        {
            registry.Print($"qcom_scm_storage: block size {info.BlockSize} exceeds buffer size");
            return -EINVAL;
        }

        var created = new ScmStorageMtd(info, null, null, PostedBufferBytes, options, scm);
        ret = registry.ParseRegister(created.Mtd, parsers ?? [], null, out _);
        if (ret != 0) return ret;
        device = created;
        return 0;
    }

    /// <summary>
    /// qcom_scm_storage_send_cmd() as posted: <paramref name="data"/> empty means NULL (ERASE), and then
    /// no data is allocated although data_ptr still points past the header and length is <paramref name="size"/>.
    /// </summary>
    private static int SendPosted(Scm scm, StorageCommandId command, ulong lba, Span<byte> data, ulong size)
    {
        if (scm.Pool is not { } pool) return -EINVAL;
        var withData = !data.IsEmpty;
        using var payload = pool.Allocate(StorageCall.PayloadHeaderSize + (withData ? size : 0));
        if (payload is null) return -ENOMEM;
        Span<byte> header = stackalloc byte[StorageCall.PayloadHeaderSize];
        new StorageCommand(StorageType.SpiNor, command).WriteTo(header);
        new StorageCommandDetails(lba, size, payload.Address.Value + StorageCall.PayloadHeaderSize).WriteTo(header[StorageCommand.Size..]);
        if (payload.Write(0, header) != BusStatus.Ok) return -EFAULT;
        if (withData && payload.Write(StorageCall.PayloadHeaderSize, data[..(int)size]) != BusStatus.Ok) return -EFAULT;
        var cmd = payload.Address.Value;
        var desc = new ScmDesc(StorageCall.Service, StorageCall.Command, ScmStorageClient.StorageArgs,
            cmd, StorageCommand.Size, cmd + StorageCommand.Size, StorageCommandDetails.Size);
        var ret = scm.Call(desc, out var response);
        if (ret != 0) return ret;
        if (withData && payload.Read(StorageCall.PayloadHeaderSize, data[..(int)size]) != BusStatus.Ok) return -EFAULT;
        return StorageErrno.FromResult(response.Result0);
    }

    private int PostedRead(ulong from, Span<byte> buffer, ref ulong retlen)
    {
        lock (_gate)
        {
            while (!buffer.IsEmpty)
            {
                var off = from % _blockSize;
                var lba = (from - off) / _blockSize;
                int chunk;
                ulong toRead;
                if (off != 0 || (ulong)buffer.Length < _blockSize)
                {
                    chunk = (int)Math.Min(_blockSize - off, (ulong)buffer.Length);
                    toRead = _blockSize;
                }
                else
                {
                    chunk = (int)Math.Min((ulong)buffer.Length / _blockSize * _blockSize, BounceBytes);
                    toRead = (ulong)chunk;
                }

                var ret = SendPosted(_scm, StorageCommandId.Read, lba, _merge, toRead);
                if (ret != 0) return ret;
                _merge.AsSpan((int)off, chunk).CopyTo(buffer);
                buffer = buffer[chunk..];
                from += (ulong)chunk;
                retlen += (ulong)chunk;
            }

            return 0;
        }
    }

    private int PostedWrite(ulong to, ReadOnlySpan<byte> buffer, ref ulong retlen)
    {
        lock (_gate)
        {
            while (!buffer.IsEmpty)
            {
                var off = to % _blockSize;
                var lba = (to - off) / _blockSize;
                int chunk;
                ulong toWrite;
                if (off != 0 || (ulong)buffer.Length < _blockSize)
                {
                    chunk = (int)Math.Min(_blockSize - off, (ulong)buffer.Length);
                    toWrite = _blockSize;
                    var ret = SendPosted(_scm, StorageCommandId.Read, lba, _merge, _blockSize);
                    if (ret != 0) return ret;
                }
                else
                {
                    chunk = (int)Math.Min((ulong)buffer.Length / _blockSize * _blockSize, BounceBytes);
                    toWrite = (ulong)chunk;
                }

                buffer[..chunk].CopyTo(_merge.AsSpan((int)off));
                var written = SendPosted(_scm, StorageCommandId.Write, lba, _merge, toWrite);
                if (written != 0) return written;
                buffer = buffer[chunk..];
                to += (ulong)chunk;
                retlen += (ulong)chunk;
            }

            return 0;
        }
    }

    private int PostedErase(EraseInfo instr)
    {
        if (instr.Addr % _blockSize != 0 || instr.Len % _blockSize != 0) return -EINVAL;
        lock (_gate)
        {
            return SendPosted(_scm, StorageCommandId.Erase, instr.Addr / _blockSize, [], instr.Len);
        }
    }
}
