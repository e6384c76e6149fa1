using Qtz.Soc.Addressing;

namespace Qtz.Shell.Reports;

/// <summary>One live SMMU translation of a stream.</summary>
public sealed record SmmuMappingInfo(string Remoteproc, ushort StreamId, ulong Iova, ulong PhysicalAddress, ulong Size, string Permissions)
{
    /// <summary>Who programmed the context bank: "linux" (KVM mode) or "qhee".</summary>
    public string Owner { get; init; } = "linux";
}
