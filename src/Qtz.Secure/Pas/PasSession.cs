using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Time;

namespace Qtz.Secure.Pas;

/// <summary>TrustZone's per-PAS-id state: where the state machine is, the metadata it holds, the load base.</summary>
internal sealed class PasSession(PasPeripheral peripheral)
{
    public PasPeripheral Peripheral { get; } = peripheral;

    public PasState State { get; set; } = PasState.Idle;

    /// <summary>The authenticated metadata in secure memory (null when none is held).</summary>
    public PasImage? Image { get; set; }

    /// <summary>What MEM_SETUP fixed: the physical load base and size.</summary>
    public PhysRange? MemSetup { get; set; }

    public bool CarveoutLocked { get; set; }

    /// <summary>When AUTH_AND_RESET released it (decrypt_shutdown's window counts from here).</summary>
    public VirtualTime? AuthenticatedAt { get; set; }

    public PasEvent? LastError { get; set; }

    /// <summary>Protection-region name of this peripheral's carveout lock.</summary>
    public string LockName => $"pas{Peripheral.PasId}:{Peripheral.Name}:carveout";
}
