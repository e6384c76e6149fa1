using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;

namespace Qtz.Secure.Pas;

/// <summary>
/// Metadata INIT_IMAGE accepted, held in secure memory: the copied blob, its parsed ELF and hash
/// segment, and what authentication found. Linux can no longer change any of it.
/// </summary>
internal sealed record PasImage(
    byte[] Blob,
    ElfFile Elf,
    HashSegment HashSegment,
    int HashSegmentIndex,
    uint SoftwareId,
    uint AntiRollbackVersion,
    string Signer);
