using Qtz.Soc.Bus;

namespace Qtz.Soc.Smc;

/// <summary>
/// QCOM_SCM_PERM_* bits (spec/scm-pas.md §3.1): how SHM bridge and hyp-assign calls spell permissions
/// on the wire. Both worlds use these; <see cref="ToAccess"/> turns them into what the bus enforces.
/// </summary>
public static class ScmPermissions
{
    public const byte Exec = 0x1;
    public const byte Write = 0x2;
    public const byte Read = 0x4;
    public const byte ReadWrite = Read | Write;
    public const byte ReadWriteExec = Read | Write | Exec;

    /// <summary>The low three bits of <paramref name="bits"/> as bus permissions.</summary>
    public static AccessPermissions ToAccess(ulong bits) =>
        ((bits & Read) != 0 ? AccessPermissions.Read : 0)
        | ((bits & Write) != 0 ? AccessPermissions.Write : 0)
        | ((bits & Exec) != 0 ? AccessPermissions.Execute : 0);
}
