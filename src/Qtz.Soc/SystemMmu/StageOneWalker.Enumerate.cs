using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

using static Qtz.Soc.SystemMmu.LpaeBits;

namespace Qtz.Soc.SystemMmu;

internal static partial class StageOneWalker
{
    /// <summary>Table pages one enumeration reads at most (a 48-bit space of 4 KiB pages would need far more, no real stream does).</summary>
    private const int MaxTablePages = 4096;

    /// <summary>
    /// Every leaf the tables hold that a walk would accept (valid type, access flag set, output inside
    /// the output size), in input-address order, with the permissions a walk would give it. Reads each
    /// table page once, as the walker master; a table the walker cannot read is reported in <paramref name="problem"/>.
    /// </summary>
    public static List<SmmuMapping> Enumerate(SystemBus bus, in WalkContext context, bool privileged, out string? problem)
    {
        problem = null;
        var budget = MaxTablePages;
        var leaves = new List<SmmuMapping>();
        var start = StartLevel(context.InputBits);
        if (!context.Walkable || context.InputBits is < 25 or > 48) return leaves;
        var table = context.TableBase.Value & 0x0000_FFFF_FFFF_FFF0UL;
        EnumerateTable(bus, context, privileged, table, start, context.InputBits - LeafShift(start), 0, 0, leaves, ref problem, ref budget);
        return leaves;
    }

    private static void EnumerateTable(SystemBus bus, in WalkContext context, bool privileged, ulong table, int level, int indexBits, ulong inputBase,
        ulong restrictions, List<SmmuMapping> leaves, ref string? problem, ref int budget)
    {
        if (--budget < 0)
        {
            problem ??= $"more than {MaxTablePages} table pages (tables that alias each other?)";
            return;
        }

        var entries = 1 << indexBits;
        var bytes = new byte[entries * 8];
        if (bus.Read(BusMaster.SmmuWalker, new PhysAddr(table), bytes) != BusStatus.Ok)
        {
            problem ??= $"level-{level} table at 0x{table:x} is not readable by the SMMU walker";
            return;
        }

        var shift = LeafShift(level);
        for (var index = 0; index < entries; index++)
        {
            var descriptor = BitConverter.ToUInt64(bytes, index * 8);
            var input = inputBase | ((ulong)index << shift);
            var type = descriptor & TypeMask;
            if (level < 3 && type == TypeTableOrPage)
            {
                var inherited = restrictions | (descriptor & (PxnTable | XnTable | ApTableNoUnprivileged | ApTableReadOnly));
                EnumerateTable(bus, context, privileged, descriptor & OutputAddressMask, level + 1, 9, input, inherited, leaves, ref problem, ref budget);
                continue;
            }

            var isLeaf = (level == 3 && type == TypeTableOrPage) || (level is 1 or 2 && type == TypeBlock);
            if (!isLeaf || (descriptor & AccessFlag) == 0) continue;
            var output = descriptor & OutputAddressMask & ~((1UL << shift) - 1);
            if (output >> context.OutputBits != 0) continue;
            var allowed = Permissions(descriptor, restrictions);
            var permissions = AccessPermissions.None;
            foreach (var (kind, flag) in new[] { (AccessKind.Read, AccessPermissions.Read), (AccessKind.Write, AccessPermissions.Write), (AccessKind.Execute, AccessPermissions.Execute) })
            {
                if ((allowed >> TlbEntry.PermissionBit(kind, privileged) & 1) != 0) permissions |= flag;
            }

            Append(leaves, new SmmuMapping(new Iova(input), new PhysAddr(output), 1UL << shift, permissions));
        }
    }

    /// <summary>Adjacent leaves that continue each other (input, output and permissions) become one range.</summary>
    private static void Append(List<SmmuMapping> leaves, SmmuMapping next)
    {
        if (leaves.Count > 0 && leaves[^1] is var last && last.Permissions == next.Permissions
            && last.Iova.Value + last.Length == next.Iova.Value && last.Physical.Value + last.Length == next.Physical.Value)
        {
            leaves[^1] = last with { Length = last.Length + next.Length };
            return;
        }

        leaves.Add(next);
    }
}
