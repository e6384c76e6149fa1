namespace Qtz.Soc.Bus;

/// <summary>What a transaction does; protection units and the SMMU check each separately.</summary>
public enum AccessKind : byte
{
    Read,
    Write,
    Execute,
}

/// <summary>Permissions a protection region grants one VMID.</summary>
[Flags]
public enum AccessPermissions : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    ReadWrite = Read | Write,
    ReadExecute = Read | Execute,
    All = Read | Write | Execute,
}

public static class AccessPermissionsExtensions
{
    public static bool Allows(this AccessPermissions permissions, AccessKind kind) => kind switch
    {
        AccessKind.Read => (permissions & AccessPermissions.Read) != 0,
        AccessKind.Write => (permissions & AccessPermissions.Write) != 0,
        AccessKind.Execute => (permissions & AccessPermissions.Execute) != 0,
        _ => false,
    };

    /// <summary>"rwx"-style text, '-' for a missing permission.</summary>
    public static string ToRwx(this AccessPermissions p) =>
        string.Concat((p & AccessPermissions.Read) != 0 ? "r" : "-", (p & AccessPermissions.Write) != 0 ? "w" : "-", (p & AccessPermissions.Execute) != 0 ? "x" : "-");
}
