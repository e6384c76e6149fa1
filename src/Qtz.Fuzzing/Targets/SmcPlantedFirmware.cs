using Qtz.Firmware;
using Qtz.Firmware.Images;
using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.Firmware.Mdt;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// What the smc target gives the non-secure side besides raw registers, so that fuzzed sequences reach
/// past the first refusal: every DSP's real PAS metadata planted in the kernel's DMA memory (where
/// Linux's mdt loader would put it for INIT_IMAGE; under a KVM host inside an SHM bridge, as tzmem
/// would), and a kernel action that copies a DSP's segments into its carveout through the bus as the
/// Linux CPU (the bus refuses while TrustZone has the carveout locked). With them a sequence such as
/// SHUTDOWN → load → INIT_IMAGE → AUTH_AND_RESET restarts a DSP — or hands one DSP's image to another —
/// through TZ's authentication, the carveout lock, QHEE's stream programming and the DSP's boot probe.
/// </summary>
internal sealed class SmcPlantedFirmware
{
    /// <summary>Where the metadata goes in the kernel's DMA memory: past the first MiB the fuzzer's own pointers use.</summary>
    public const ulong PlantOffset = 12 << 20;

    private const ulong Slot = 64 << 10;
    private const ulong PermRw = 0x6;
    private const ulong OneNonSecureVm = 1UL << 9;
    private readonly byte[][] _metadata;
    private readonly (PhysAddr At, byte[] Bytes, ulong ZeroFill)[][] _segments;

    public SmcPlantedFirmware(Board board)
    {
        var remoteprocs = board.Remoteprocs;
        _metadata = new byte[remoteprocs.Count][];
        _segments = new (PhysAddr, byte[], ulong)[remoteprocs.Count][];
        for (var k = 0; k < remoteprocs.Count; k++)
        {
            var r = remoteprocs[k];
            using var image = board.Firmware.TryOpen(r.FirmwareName ?? r.Data.FirmwareName)
                ?? throw new InvalidOperationException($"{r.Name}: no firmware to plant");
            _metadata[k] = MdtMetadata.Build(image).Blob;
            if ((ulong)_metadata[k].Length > Slot) throw new InvalidOperationException($"{r.Name}: metadata of {_metadata[k].Length} bytes does not fit a {Slot}-byte slot");
            var plan = MdtLoadPlan.Create(image.Elf, r.Carveout.Base.Value, r.Carveout.Size);
            _segments[k] = [.. plan.Segments.Select(s => (r.Carveout.Base + s.CarveoutOffset, s.FileSize == 0 ? [] : image.ReadSegment(s.Index), s.ZeroFillSize))];
        }
    }

    public int Count => _metadata.Length;

    public static PhysAddr MetadataAddress(Board board, int k) => board.Memory.KernelDma.Base + PlantOffset + ((ulong)k * Slot);

    /// <summary>Writes every metadata blob as the kernel; a KVM host also bridges them (INIT_IMAGE at EL2 needs that).</summary>
    public void Plant(Board board)
    {
        for (var k = 0; k < Count; k++)
        {
            if (board.Bus.Write(board.KernelCpu, MetadataAddress(board, k), _metadata[k]) != BusStatus.Ok)
                throw new InvalidOperationException($"the kernel could not write planted metadata at {MetadataAddress(board, k)}");
        }

        if (board.KernelCpu.ExceptionLevel < 2) return;
        var window = MetadataAddress(board, 0).Value;
        var create = ScmCatalog.Find(ScmCatalog.Mp, ScmCatalog.MpShmBridgeCreate)!.FunctionId().Value;
        var bridge = board.Conduit.Smc(new SmcCall(board.KernelCpu, create, ArgInfo.Values(4).Value,
            window | PermRw, window | PermRw, ((ulong)Count * Slot) | OneNonSecureVm, Vmid.Hlos.Value));
        if (bridge.X0 != 0 || bridge.X1 != 0) throw new InvalidOperationException($"TrustZone refused the bridge over the planted metadata (x0={bridge.X0} x1={bridge.X1})");
    }

    /// <summary>The kernel copies DSP <paramref name="k"/>'s segments into its carveout (what a locked carveout refuses stays unwritten).</summary>
    public void Load(Board board, int k)
    {
        foreach (var (at, bytes, zeroFill) in _segments[k])
        {
            if (bytes.Length > 0 && board.Bus.Write(board.KernelCpu, at, bytes) != BusStatus.Ok) return;
            if (zeroFill > 0 && board.Bus.Fill(board.KernelCpu, at + (ulong)bytes.Length, zeroFill, 0) != BusStatus.Ok) return;
        }
    }
}
