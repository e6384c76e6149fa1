using Qtz.Firmware;
using Qtz.Firmware.Images;
using Qtz.Kernel.Pas;
using Qtz.Soc;
using Qtz.Firmware.Mdt;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// qcom_mdt_pas_load on the kernel side, through the generic PAS layer (spec/scm-pas.md §6.3-6.5): metadata assembly and INIT_IMAGE,
/// MEM_SETUP for relocatable images, then every loadable segment copied into the carveout THROUGH
/// THE BUS as the Linux CPU (streamed in chunks; zero-fill as a bus fill so sparse pages stay cheap).
/// The rules themselves (split vs single, bounds, relocation) are Qtz.Firmware's MdtRules/MdtLoadPlan.
/// </summary>
internal static class PasMdtLoader
{
    // Under the large-object-heap threshold: boards are booted thousands of times (fuzzing, soak), and a
    // 1 MiB buffer per load made every boot a large-object allocation and, soon, a full collection.
    private const int ChunkSize = 64 << 10;

    /// <summary>Returns mem_reloc. Throws <see cref="RprocException"/> with the cause; metadata stays in the context for the caller to release.</summary>
    public static ulong Load(QcomPas pas, Scm scm, PasContext context, FirmwareImage fw, Rproc trace) => Load(pas, scm, context, fw, trace.Trace);

    /// <summary>The same load for PAS users that are not remoteprocs (video, zap shader, IPA): <paramref name="trace"/> gets the steps.</summary>
    public static ulong Load(QcomPas pas, Scm scm, PasContext context, FirmwareImage fw, Action<string> trace)
    {
        MdtMetadata metadata;
        MdtLoadPlan plan;
        try
        {
            metadata = MdtMetadata.Build(fw);
            plan = MdtLoadPlan.Create(fw.Elf, context.MemPhys.Value, context.MemSize);
        }
        catch (FormatException e)
        {
            throw new RprocException(Errno.EINVAL, $"{fw.Name}: {e.Message}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new RprocException(Errno.ENOENT, $"{fw.Name}: {e.Message}", e);
        }

        var ret = pas.InitImage(context.PasId, metadata.Blob, context);
        var buffer = pas.Backend is OpteePasOps ? "tee shm" : context.UseTzMem ? "tzmem" : "dma";
        trace($"INIT_IMAGE pas {context.PasId} via {pas.BackendName}: {metadata.Blob.Length} bytes of metadata ({buffer}, hash from {metadata.Source}) -> {PasErrors.Describe(ret)}");
        if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"INIT_IMAGE refused: {PasErrors.Describe(ret)}");

        if (plan.Relocatable)
        {
            ret = pas.MemSetup(context.PasId, context.MemPhys, plan.MemSetupSize);
            trace($"MEM_SETUP pas {context.PasId} {context.MemPhys}+0x{plan.MemSetupSize:x} -> {PasErrors.Describe(ret)}");
            if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"MEM_SETUP refused: {PasErrors.Describe(ret)}");
        }

        var chunk = new byte[ChunkSize];
        foreach (var segment in plan.Segments)
            CopySegment(scm, context, fw, segment, chunk);
        trace($"loaded {plan.Segments.Count} segments of {fw.Name} into {context.MemPhys}+0x{context.MemSize:x} (reloc base 0x{plan.RelocationBase:x})");
        return plan.RelocationBase;
    }

    private static void CopySegment(Scm scm, PasContext context, FirmwareImage fw, SegmentLoad segment, byte[] buffer)
    {
        var destination = context.MemPhys + segment.CarveoutOffset;
        if (segment.FileSize != 0)
        {
            ImageSource source;
            long offset;
            try
            {
                (source, offset) = fw.Locate(segment.Index);
            }
            catch (FormatException e)
            {
                throw new RprocException(Errno.EINVAL, $"{fw.Name}: segment {segment.Index} would be truncated: {e.Message}", e);
            }
            catch (FileNotFoundException e)
            {
                throw new RprocException(Errno.ENOENT, $"{fw.Name}: {e.Message}", e);
            }

            for (ulong done = 0; done < segment.FileSize;)
            {
                var length = (int)Math.Min((ulong)buffer.Length, segment.FileSize - done);
                var chunk = buffer.AsSpan(0, length);
                source.ReadExactly(offset + (long)done, chunk);
                Check(scm.Bus.Write(scm.Cpu, destination + done, chunk), segment, destination + done);
                done += (ulong)length;
            }
        }

        if (segment.ZeroFillSize != 0)
            Check(scm.Bus.Fill(scm.Cpu, destination + segment.FileSize, segment.ZeroFillSize, 0), segment, destination + segment.FileSize);
    }

    private static void Check(BusStatus status, SegmentLoad segment, PhysAddr at)
    {
        if (status != BusStatus.Ok)
            throw new RprocException(Errno.EIO, $"copying segment {segment.Index} to {at} failed: bus {status.ToString().ToLowerInvariant()}");
    }
}

/// <summary>How PAS results read in messages: "-EINVAL" for errnos, "TZ service error N" for positive result[0].</summary>
internal static class PasErrors
{
    public static string Describe(int ret) => ret switch
    {
        0 => "ok",
        < 0 => Enum.IsDefined((Errno)(-ret)) ? "-" + (Errno)(-ret) : ret.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"TZ service error {ret}",
    };

    public static Errno ToErrno(int ret) => ret < 0 ? (Errno)(-ret) : Errno.EINVAL;
}
