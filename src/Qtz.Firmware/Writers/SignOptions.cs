namespace Qtz.Firmware.Writers;

/// <summary>What to put in a test-signed hash segment.</summary>
public sealed record SignOptions
{
    /// <summary>Hash segment version: 3, 5, 6 or 7.</summary>
    public int Version { get; init; } = 6;

    public uint SoftwareId { get; init; }

    public uint HardwareId { get; init; }

    public uint OemId { get; init; }

    public uint ModelId { get; init; }

    public uint AntiRollbackVersion { get; init; }
}
