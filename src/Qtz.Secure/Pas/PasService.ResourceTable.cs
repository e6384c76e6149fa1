using Qtz.Firmware.ResourceTables;
using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Pas;

public sealed partial class PasService
{
    /// <summary>Largest input resource table TZ reads.</summary>
    public const ulong MaxInputTableBytes = 64 * 1024;

    /// <summary>
    /// GET_RSCTABLE (arginfo 0x845: a0 = pas_id, a1 = input table (RO), a2 = its size, ext a3 = output buffer
    /// (RW), a4 = its size), spec §2.6/§10.5. The answer is the caller's table (Linux sends an empty 16-byte
    /// one) followed by this DSP's RSC_DEVMEM entries. Too small a buffer: x0 = EINVAL_ARG, x2 =
    /// RSCTABLE_BUFFER_NOT_SUFFICIENT (20), x3 = the size needed; success: x0 = 0, x3 = the size. Buffers
    /// follow the ordinary non-secure buffer rules (inside a bridge once bridges are enabled).
    /// </summary>
    [ScmCommand(GetResourceTableCommand)]
    public ScmReply GetResourceTable(ScmRequest request) => WithSession(request, "GET_RSCTABLE", session =>
    {
        const string call = "GET_RSCTABLE";
        var inputSize = request.Arg(2);
        if (inputSize < ResourceTable.HeaderSize || inputSize > MaxInputTableBytes)
            return Refuse(session, 0, call, ScmStatus.InvalidArgument, 0, $"input table size {inputSize} is outside {ResourceTable.HeaderSize}..{MaxInputTableBytes}");
        var input = new byte[inputSize];
        var status = request.ReadArgBuffer(1, input);
        if (status != ScmStatus.Success) return Refuse(session, 0, call, status, 0, "the input table buffer is not usable non-secure memory");
        ResourceTable table;
        try
        {
            table = ResourceTable.Parse(input);
        }
        catch (FormatException e)
        {
            return Refuse(session, 0, call, ScmStatus.InvalidArgument, 0, "input resource table: " + e.Message);
        }

        var devmem = session.Peripheral.DeviceMemory.Select(d => new ResourceEntry(ResourceType.DevMem, 0, DevMem: d.ToResource()));
        var bytes = new ResourceTable(table.Entries.Count == 0 ? 1 : table.Version, [.. table.Entries, .. devmem]).ToBytes();
        var size = (ulong)bytes.Length;
        if (request.Arg(4) < size)
        {
            Record(new PasEvent(_world.Clock.Now, session.Peripheral.PasId, call, ScmStatus.InvalidArgument, PasErrors.BufferNotSufficient,
                $"output buffer of {request.Arg(4)} bytes is too small for the {size}-byte table"));
            return new ScmReply(ScmStatus.InvalidArgument, 0, PasErrors.BufferNotSufficient, size);
        }

        status = request.WriteArgBuffer(3, bytes);
        if (status != ScmStatus.Success) return Refuse(session, 0, call, status, 0, "the output table buffer is not usable non-secure memory");
        return Succeed(session, call, $"{session.Peripheral.DeviceMemory.Count} devmem entries, {size} bytes", 0, 0, size);
    });
}
