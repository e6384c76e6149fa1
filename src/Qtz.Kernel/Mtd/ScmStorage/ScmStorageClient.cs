using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.Mtd.ScmStorage;

/// <summary>
/// The storage half of patch 1/2 (qcom_scm_storage_send_cmd): builds the 72-byte payload header
/// (command + details) in front of the data area of one tzmem buffer, issues the SCM call with
/// arginfo (RO, VAL, RW, VAL) and maps the answer: a transport error first, then result[0].
/// </summary>
public sealed class ScmStorageClient(Scm scm, TzMemBuffer payload)
{
    internal static readonly ArgInfo StorageArgs = ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val, ScmArgType.Rw, ScmArgType.Val);

    public TzMemBuffer Payload => payload;

    /// <summary>Bytes available for data after the header.</summary>
    public ulong DataCapacity => payload.Size - StorageCall.PayloadHeaderSize;

    public PhysAddr DataAddress => payload.Address + StorageCall.PayloadHeaderSize;

    public int Send(StorageCommandId command, ulong lba, ulong length, bool withData)
    {
        Span<byte> header = stackalloc byte[StorageCall.PayloadHeaderSize];
        new StorageCommand(StorageType.SpiNor, command).WriteTo(header);
        new StorageCommandDetails(lba, length, withData ? DataAddress.Value : 0).WriteTo(header[StorageCommand.Size..]);
        if (payload.Write(0, header) != BusStatus.Ok) return -MtdErrno.EFAULT;
        var cmd = payload.Address.Value;
        var desc = new ScmDesc(StorageCall.Service, StorageCall.Command, StorageArgs,
            cmd, StorageCommand.Size, cmd + StorageCommand.Size, StorageCommandDetails.Size);
        var ret = scm.Call(desc, out var response);
        return ret != 0 ? ret : StorageErrno.FromResult(response.Result0);
    }

    public int ReadData(ulong offset, Span<byte> destination) =>
        payload.Read(StorageCall.PayloadHeaderSize + offset, destination) == BusStatus.Ok ? 0 : -MtdErrno.EFAULT;

    public int WriteData(ulong offset, ReadOnlySpan<byte> source) =>
        payload.Write(StorageCall.PayloadHeaderSize + offset, source) == BusStatus.Ok ? 0 : -MtdErrno.EFAULT;
}
