using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// qcom_tzmem: the allocator for memory shared with TrustZone (spec/scm-pas.md §3.2, §5). In
/// <see cref="TzMemMode.ShmBridge"/> mode, <see cref="Enable"/> turns SHM bridges on in TZ (unless the
/// machine is blocklisted or TZ says not supported) and from then every pool area is covered by one
/// bridge. Also home of the bridge helpers drivers use for memory they did not get from a pool.
/// </summary>
public sealed class TzMem
{
    /// <summary>Machines whose firmware mishandles SHM bridges (qcom_tzmem_blacklist).</summary>
    public static readonly IReadOnlyList<string> ShmBridgeBlocklist =
        ["qcom,sc7180", "qcom,sc8180x", "qcom,sdm670", "qcom,sdm845", "qcom,sm7150", "qcom,sm8150"];

    /// <summary>QCOM_SCM_PERM_RW, the permission tzmem asks for on both sides.</summary>
    public const ulong PermRw = ScmPermissions.ReadWrite;

    /// <summary>QCOM_SHM_BRIDGE_NUM_VM_SHIFT: one non-secure VM in size_and_flags.</summary>
    public const int NumVmShift = 9;

    private readonly Scm _scm;
    private readonly DmaCoherentMemory _dma;
    private readonly string? _machine;
    private readonly Lock _gate = new();
    private readonly List<string> _warnings = [];
    private int _enabled;
    private long _liveChunks;
    private long _liveChunkBytes;
    private long _areas;
    private long _areaBytes;

    internal TzMem(Scm scm, DmaCoherentMemory dma, TzMemMode mode, string? machine)
    {
        _scm = scm;
        _dma = dma;
        Mode = mode;
        _machine = machine;
    }

    public TzMemMode Mode { get; }

    /// <summary>qcom_tzmem_using_shm_bridge: areas get bridges.</summary>
    public bool UsingShmBridge { get; private set; }

    internal SystemBus Bus => _scm.Bus;

    internal BusMaster Cpu => _scm.Cpu;

    /// <summary>Chunks handed out by every pool of this tzmem and not freed yet (chunks of a pool freed while still allocated stay counted: they leaked).</summary>
    public long LiveChunks => Interlocked.Read(ref _liveChunks);

    /// <summary>Bytes of those chunks (page-aligned sizes).</summary>
    public ulong LiveChunkBytes => (ulong)Interlocked.Read(ref _liveChunkBytes);

    /// <summary>Areas (bridged dma blocks) every pool of this tzmem holds.</summary>
    public long Areas => Interlocked.Read(ref _areas);

    /// <summary>Bytes of those areas: what the pools took from coherent DMA memory.</summary>
    public ulong AreaBytes => (ulong)Interlocked.Read(ref _areaBytes);

    /// <summary>What Linux would have WARNed or logged (unknown frees, pools freed with live chunks).</summary>
    public IReadOnlyList<string> Warnings
    {
        get { lock (_gate) return [.. _warnings]; }
    }

    /// <summary>qcom_tzmem_enable: -EBUSY the second time; "not supported" is not an error (bridges just stay off).</summary>
    public int Enable()
    {
        if (Interlocked.Exchange(ref _enabled, 1) != 0) return -ScmErrno.EBUSY;
        if (Mode == TzMemMode.Generic) return 0;
        if (_machine is not null && ShmBridgeBlocklist.Contains(_machine, StringComparer.Ordinal)) return 0;
        var ret = _scm.ShmBridgeEnable();
        if (ret == -ScmErrno.EOPNOTSUPP) return 0;
        if (ret == 0) UsingShmBridge = true;
        return ret;
    }

    /// <summary>qcom_tzmem_pool_new: -EINVAL for a config the policy cannot work with, else the initial area's error.</summary>
    public int CreatePool(TzMemPoolConfig config, out TzMemPool? pool)
    {
        ArgumentNullException.ThrowIfNull(config);
        pool = null;
        var valid = config.Policy switch
        {
            TzMemPolicy.Static => config.InitialSize != 0,
            TzMemPolicy.Multiplier => config.Increment != 0,
            TzMemPolicy.OnDemand => true,
            _ => false,
        };
        if (!valid) return -ScmErrno.EINVAL;
        var created = new TzMemPool(this, config);
        if (config.InitialSize != 0)
        {
            var ret = created.AddMemory(config.InitialSize);
            if (ret != 0) return ret;
        }

        pool = created;
        return 0;
    }

    /// <summary>
    /// qcom_tzmem_shm_bridge_create: 0 with <paramref name="handle"/> untouched when bridges are not in
    /// use; otherwise SHM_BRIDGE_CREATE with the tzmem packing (address | RW, size | 1 VM, HLOS).
    /// </summary>
    public int ShmBridgeCreate(PhysAddr address, ulong size, ref ulong handle)
    {
        if (!UsingShmBridge) return 0;
        var ret = _scm.ShmBridgeCreate(address.Value | PermRw, address.Value | PermRw, size | (1UL << NumVmShift), Vmid.Hlos.Value, out var created);
        if (ret == 0) handle = created;
        else Warn($"SHM bridge create failed for {address}+0x{size:x}: {ScmErrno.Name(ret)}");
        return ret;
    }

    /// <summary>qcom_tzmem_shm_bridge_delete: no-op when bridges are not in use.</summary>
    public int ShmBridgeDelete(ulong handle) => UsingShmBridge ? _scm.ShmBridgeDelete(handle) : 0;

    internal int AddArea(ulong size, out TzMemArea? area)
    {
        area = null;
        if (!_dma.TryAllocate(size, out var block)) return -ScmErrno.ENOMEM;
        ulong handle = 0;
        var ret = ShmBridgeCreate(block.Base, block.Size, ref handle);
        if (ret != 0)
        {
            _dma.Free(block);
            return ret;
        }

        area = new TzMemArea(block, handle);
        Interlocked.Increment(ref _areas);
        Interlocked.Add(ref _areaBytes, (long)block.Size);
        return 0;
    }

    internal void RemoveArea(TzMemArea area)
    {
        if (area.BridgeHandle != 0) ShmBridgeDelete(area.BridgeHandle);
        _dma.Free(area.Range);
        Interlocked.Decrement(ref _areas);
        Interlocked.Add(ref _areaBytes, -(long)area.Range.Size);
    }

    internal void CountChunk(int delta, ulong bytes)
    {
        Interlocked.Add(ref _liveChunks, delta);
        Interlocked.Add(ref _liveChunkBytes, delta * (long)bytes);
    }

    internal void WarnUnknownFree(PhysAddr address) => Warn($"tzmem free of unknown chunk {address}");

    internal void Warn(string message)
    {
        lock (_gate) _warnings.Add(message);
    }
}
