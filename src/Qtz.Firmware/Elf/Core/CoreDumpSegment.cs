namespace Qtz.Firmware.Elf.Core;

/// <summary>
/// One dumped range of a remote processor's memory, as remoteproc's <c>rproc_dump_segment</c>: the
/// device address the processor sees it at (<c>da</c>) and the bytes read from it.
/// </summary>
public sealed record CoreDumpSegment(ulong DeviceAddress, ReadOnlyMemory<byte> Data)
{
    public ulong Size => (ulong)Data.Length;
}

/// <summary>
/// What a driver declares with <c>rproc_coredump_set_elf_info</c> (class, machine) plus the boot
/// address remoteproc writes into e_entry. qcom_q6v5_pas declares ELFCLASS32 / EM_NONE.
/// </summary>
public readonly record struct CoreDumpFormat(ElfClass Class, ushort Machine, ulong Entry)
{
    /// <summary>EM_NONE: what qcom_q6v5_pas passes (the Hexagon core is not named).</summary>
    public const ushort MachineNone = 0;

    public static CoreDumpFormat QcomPas(ulong bootAddress) => new(ElfClass.Elf32, MachineNone, bootAddress);
}
