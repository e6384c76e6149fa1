using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

using static Qtz.Soc.SystemMmu.LpaeBits;

namespace Qtz.Soc.SystemMmu;

/// <summary>What a context bank's registers say about its stage-1 tables, decoded once per walk.</summary>
internal readonly record struct WalkContext(PhysAddr TableBase, ushort Asid, int InputBits, int OutputBits, bool Walkable);

/// <summary>The walker's verdict; <see cref="Entry"/> is set on success.</summary>
internal readonly record struct WalkResult(SmmuStatus Status, int Level, TlbEntry? Entry);

/// <summary>
/// The stage-1 table walker for the ARM LPAE (AArch64) format with a 4 KiB granule: 9 bits per level,
/// blocks at level 1 (1 GiB) and 2 (2 MiB), pages at level 3. It reads every descriptor from
/// simulated memory through the bus as the SMMU's walker master, so page tables are real bytes and a
/// protection unit can deny the walker.
/// </summary>
internal static partial class StageOneWalker
{
    /// <summary>The level the walk starts at for an input size: 4 − ceil((IAS − 12) / 9).</summary>
    public static int StartLevel(int inputBits) => 4 - (inputBits - 12 + 8) / 9;

    public static WalkResult Walk(SystemBus bus, in WalkContext context, ulong va)
    {
        var start = StartLevel(context.InputBits);
        if (!context.Walkable || context.InputBits is < 25 or > 48 || va >> context.InputBits != 0)
            return new WalkResult(SmmuStatus.TranslationFault, Math.Max(start, 0), null);

        var table = context.TableBase.Value & 0x0000_FFFF_FFFF_FFF0UL; // TTBR BADDR: a small PGD may be 16-byte aligned
        ulong tableRestrictions = 0;
        for (var level = start; level <= 3; level++)
        {
            var shift = LeafShift(level);
            var indexBits = level == start ? context.InputBits - shift : 9;
            var index = va >> shift & ((1UL << indexBits) - 1);
            if (bus.ReadUInt64(BusMaster.SmmuWalker, new PhysAddr(table + index * 8), out var descriptor) != BusStatus.Ok)
                return new WalkResult(SmmuStatus.WalkExternalFault, level, null);

            var type = descriptor & TypeMask;
            var isTable = level < 3 && type == TypeTableOrPage;
            var isLeaf = (level == 3 && type == TypeTableOrPage) || (level is 1 or 2 && type == TypeBlock);
            if (isTable)
            {
                tableRestrictions |= descriptor & (PxnTable | XnTable | ApTableNoUnprivileged | ApTableReadOnly);
                table = descriptor & OutputAddressMask;
                continue;
            }

            if (!isLeaf) return new WalkResult(SmmuStatus.TranslationFault, level, null);
            if ((descriptor & AccessFlag) == 0) return new WalkResult(SmmuStatus.AccessFlagFault, level, null);
            var output = descriptor & OutputAddressMask & ~((1UL << shift) - 1);
            if (output >> context.OutputBits != 0) return new WalkResult(SmmuStatus.AddressSizeFault, level, null);
            var entry = new TlbEntry(context.Asid, (descriptor & NotGlobal) == 0, shift, va >> shift, output, Permissions(descriptor, tableRestrictions));
            return new WalkResult(SmmuStatus.Ok, level, entry);
        }

        return new WalkResult(SmmuStatus.TranslationFault, 3, null);
    }

    /// <summary>
    /// AP[2:1], UXN/PXN and the hierarchical table limits folded into one mask of allowed
    /// (privilege, kind) pairs. An instruction fetch also needs read permission at its privilege
    /// (a conservative reading: execute-only memory is not modelled), and memory that unprivileged
    /// code may write is never privileged-executable.
    /// </summary>
    private static int Permissions(ulong descriptor, ulong tableRestrictions)
    {
        var unprivRead = (descriptor & ApUnprivileged) != 0 && (tableRestrictions & ApTableNoUnprivileged) == 0;
        var readOnly = (descriptor & ApReadOnly) != 0 || (tableRestrictions & ApTableReadOnly) != 0;
        var unprivWrite = unprivRead && !readOnly;
        var privWrite = !readOnly;
        var unprivExec = unprivRead && (descriptor & Uxn) == 0 && (tableRestrictions & XnTable) == 0;
        var privExec = (descriptor & Pxn) == 0 && (tableRestrictions & PxnTable) == 0 && !unprivWrite;

        var mask = 0;
        Set(ref mask, AccessKind.Read, false, unprivRead);
        Set(ref mask, AccessKind.Write, false, unprivWrite);
        Set(ref mask, AccessKind.Execute, false, unprivExec);
        Set(ref mask, AccessKind.Read, true, true);
        Set(ref mask, AccessKind.Write, true, privWrite);
        Set(ref mask, AccessKind.Execute, true, privExec);
        return mask;
    }

    private static void Set(ref int mask, AccessKind kind, bool privileged, bool allowed)
    {
        if (allowed) mask |= 1 << TlbEntry.PermissionBit(kind, privileged);
    }
}
