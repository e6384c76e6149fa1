using System.Numerics;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.Partitions;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Nor.StorageWire;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd.ScmStorage;

/// <summary>
/// The SCM storage MTD driver (qcom_scm_storage, patch 2/2) with its review addressed:
/// GET_INFO at probe and the geometry validated before anything is allocated; a bounce buffer sized
/// from the geometry (whole blocks, at most <see cref="ScmStorageOptions.MaxBounceBytes"/>); every
/// READ/WRITE/ERASE call block-aligned; unaligned writes correct under both TZ WRITE semantics (the
/// MTD contract: stored = old AND new); the fields stored converted (erasesize is the block size);
/// no bounds or zero-length checks the MTD core already makes; nothing logged on success. One lock
/// covers each whole MTD operation, so no other request can run between a block's read and its write.
/// </summary>
public sealed partial class ScmStorageMtd : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TzMemPool? _pool;
    private readonly ScmStorageClient? _client;
    private readonly uint _blockSize;
    private readonly byte[] _merge;
    private readonly Scm _scm;

    private ScmStorageMtd(StorageInfo info, TzMemPool? pool, TzMemBuffer? payload, ulong bounceBytes, ScmStorageOptions options, Scm scm)
    {
        Info = info;
        Options = options;
        _pool = pool;
        _scm = scm;
        // v2 as posted has no payload of its own: it allocates one per call (ScmStorageMtd.Posted.cs).
        _client = payload is null ? null : new ScmStorageClient(scm, payload);
        _blockSize = info.BlockSize;
        BounceBytes = bounceBytes;
        _merge = new byte[bounceBytes];
        Mtd = new MtdInfo
        {
            Name = options.Name,
            Type = MtdType.NorFlash,
            Flags = options.AllowWrite || options.Variant == ScmStorageDriverVariant.V2AsPosted ? MtdFlags.Writeable : MtdFlags.None,
            Size = info.TotalBlocks * info.BlockSize,
            EraseSize = info.BlockSize,
            WriteSize = info.BlockSize,
            WriteBufSize = info.BlockSize,
            Operations = options.Variant == ScmStorageDriverVariant.V2AsPosted
                ? new MtdOperations { Read = PostedRead, Write = PostedWrite, Erase = PostedErase }
                : new MtdOperations { Read = Read, Write = Write, Erase = Erase },
        };
    }

    public MtdInfo Mtd { get; }

    /// <summary>What GET_INFO reported at probe.</summary>
    public StorageInfo Info { get; }

    public ScmStorageOptions Options { get; }

    /// <summary>The data part of the bounce buffer.</summary>
    public ulong BounceBytes { get; }

    /// <summary>
    /// Probes the device: IS_CALL_AVAIL, GET_INFO, geometry check, allocation, registration through
    /// mtd_device_parse_register with <paramref name="parsers"/>. 0, −ENODEV when the call is absent,
    /// or −errno; <paramref name="log"/> receives the one line a failure prints.
    /// </summary>
    public static int Probe(Scm scm, MtdRegistry registry, ScmStorageOptions? options, IEnumerable<IMtdPartitionParser> parsers,
        out ScmStorageMtd? device)
    {
        ArgumentNullException.ThrowIfNull(scm);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new ScmStorageOptions();
        device = null;
        if (!scm.IsCallAvailable(StorageCall.Service, StorageCall.Command)) return -ENODEV;
        if (options.Variant == ScmStorageDriverVariant.V2AsPosted) return ProbePosted(scm, registry, options, parsers, out device);
        var ret = GetInfo(scm, out var info);
        if (ret != 0)
        {
            registry.Print($"qcom_scm_storage: get info failed: {ret}");
            return ret;
        }

        ret = ValidateGeometry(info, out var reason);
        if (ret != 0)
        {
            registry.Print($"qcom_scm_storage: invalid storage geometry: {reason}");
            return ret;
        }

        var bounce = BounceSize(info, options.MaxBounceBytes);
        var payloadBytes = StorageCall.PayloadHeaderSize + bounce;
        ret = scm.TzMem.CreatePool(new TzMemPoolConfig(AlignPage(payloadBytes), TzMemPolicy.Static), out var pool);
        if (ret != 0) return ret;
        var payload = pool!.Allocate(payloadBytes);
        if (payload is null)
        {
            pool.Dispose();
            return -ENOMEM;
        }

        var created = new ScmStorageMtd(info, pool, payload, bounce, options, scm);
        ret = registry.ParseRegister(created.Mtd, parsers ?? [], null, out _);
        if (ret != 0)
        {
            created.Dispose();
            return ret;
        }

        device = created;
        return 0;
    }

    /// <summary>
    /// Whole blocks, as many as fit in the cap (at least one even if a block is larger), never more
    /// than the device: the review's "size it from the geometry".
    /// </summary>
    public static ulong BounceSize(StorageInfo info, ulong maxBounceBytes)
    {
        var block = (ulong)info.BlockSize;
        var device = info.TotalBlocks * block;
        var fit = Math.Max(1, maxBounceBytes / block) * block;
        return Math.Min(fit, device);
    }

    /// <summary>The client over the driver's own payload buffer; only the variants that keep one call this.</summary>
    private ScmStorageClient Client => _client ?? throw new InvalidOperationException("v2 as posted keeps no payload between calls");

    public void Dispose()
    {
        if (_pool is null) return; // v2 as posted: nothing held between calls
        _client?.Payload.Dispose();
        _pool.Dispose();
    }

    // block_size and total_blocks non-zero, the block a power of two (erasesize shift), and the size
    // representable: checked before the bounce buffer is allocated.
    private static int ValidateGeometry(StorageInfo info, out string reason)
    {
        reason = "";
        if (info.BlockSize == 0 || info.TotalBlocks == 0) reason = $"block_size {info.BlockSize}, total_blocks {info.TotalBlocks}";
        else if (!BitOperations.IsPow2(info.BlockSize)) reason = $"block_size {info.BlockSize} is not a power of two";
        else if (info.TotalBlocks > (ulong)long.MaxValue / info.BlockSize) reason = $"{info.TotalBlocks} blocks of {info.BlockSize} bytes overflow";
        else if (info.PageSize > info.BlockSize) reason = $"page_size {info.PageSize} exceeds block_size {info.BlockSize}";
        return reason.Length == 0 ? 0 : -EINVAL;
    }

    private static int GetInfo(Scm scm, out StorageInfo info)
    {
        info = default;
        if (scm.Pool is not { } scmPool) return -EINVAL;
        using var payload = scmPool.Allocate(StorageCall.PayloadHeaderSize + StorageInfo.Size);
        if (payload is null) return -ENOMEM;
        var client = new ScmStorageClient(scm, payload);
        var ret = client.Send(StorageCommandId.GetInfo, 0, StorageInfo.Size, withData: true);
        if (ret != 0) return ret;
        Span<byte> bytes = stackalloc byte[StorageInfo.Size];
        ret = client.ReadData(0, bytes);
        if (ret != 0) return ret;
        info = StorageInfo.Parse(bytes);
        return 0;
    }

    private static ulong AlignPage(ulong size) => (size + 4095) & ~4095UL;

    private int Read(ulong from, Span<byte> buffer, ref ulong retlen)
    {
        lock (_gate)
        {
            while (!buffer.IsEmpty)
            {
                var inBlock = from % _blockSize;
                int n;
                int ret;
                if (inBlock != 0 || (ulong)buffer.Length < _blockSize)
                {
                    n = (int)Math.Min(_blockSize - inBlock, (ulong)buffer.Length);
                    ret = Transfer(StorageCommandId.Read, from - inBlock, _blockSize);
                    if (ret == 0) ret = Client.ReadData(inBlock, buffer[..n]);
                }
                else
                {
                    n = (int)Math.Min(BounceBytes, (ulong)buffer.Length / _blockSize * _blockSize);
                    ret = Transfer(StorageCommandId.Read, from, (ulong)n);
                    if (ret == 0) ret = Client.ReadData(0, buffer[..n]);
                }

                if (ret != 0) return ret;
                retlen += (ulong)n;
                from += (ulong)n;
                buffer = buffer[n..];
            }

            return 0;
        }
    }

    private int Write(ulong to, ReadOnlySpan<byte> buffer, ref ulong retlen)
    {
        lock (_gate)
        {
            while (!buffer.IsEmpty)
            {
                var inBlock = to % _blockSize;
                var start = to - inBlock;
                var n = inBlock != 0 || (ulong)buffer.Length < _blockSize
                    ? (int)Math.Min(_blockSize - inBlock, (ulong)buffer.Length)
                    : (int)Math.Min(BounceBytes, (ulong)buffer.Length / _blockSize * _blockSize);
                var span = (ulong)(inBlock + (ulong)n + _blockSize - 1) / _blockSize * _blockSize;
                var ret = StageWrite(start, (int)inBlock, buffer[..n], (int)span);
                if (ret == 0) ret = Transfer(StorageCommandId.Write, start, span);
                if (ret != 0) return ret;
                retlen += (ulong)n;
                to += (ulong)n;
                buffer = buffer[n..];
            }

            return 0;
        }
    }

    // Puts the whole blocks [start, start + span) into the bounce buffer so that writing them leaves
    // old AND new in the target bytes and the rest of the blocks as they are. Under program semantics
    // 0xFF programs nothing, so no read is needed; under erase-program the old content must be read
    // back and kept (the AND keeps bit-writeable users such as UBI's nor_erase_prepare correct).
    private int StageWrite(ulong start, int inBlock, ReadOnlySpan<byte> data, int span)
    {
        if (Options.WriteSemantics == ScmStorageWriteSemantics.Program && inBlock == 0 && data.Length == span)
            return Client.WriteData(0, data);
        var staged = _merge.AsSpan(0, span);
        if (Options.WriteSemantics == ScmStorageWriteSemantics.Program)
        {
            staged.Fill(0xFF);
            data.CopyTo(staged[inBlock..]);
        }
        else
        {
            var ret = Transfer(StorageCommandId.Read, start, (ulong)span);
            if (ret == 0) ret = Client.ReadData(0, staged);
            if (ret != 0) return ret;
            NorBits.Program(staged.Slice(inBlock, data.Length), data);
        }

        return Client.WriteData(0, staged);
    }

    private int Erase(EraseInfo instr)
    {
        // The core checks bounds, read-only and zero length; alignment is the driver's (spec/mtd.md §1.5.6).
        if (instr.Addr % _blockSize != 0 || instr.Len % _blockSize != 0) return -EINVAL;
        lock (_gate)
        {
            return Client.Send(StorageCommandId.Erase, instr.Addr / _blockSize, instr.Len, withData: false);
        }
    }

    private int Transfer(StorageCommandId command, ulong offset, ulong length) =>
        Client.Send(command, offset / _blockSize, length, withData: true);
}
