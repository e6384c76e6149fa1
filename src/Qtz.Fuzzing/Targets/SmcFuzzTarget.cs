using Qtz.Platform.Socs;
using System.Buffers.Binary;
using Qtz.Platform.Boards;
using Qtz.Fuzzing.Invariants;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Smc;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// Random SMCs from the non-secure world against the default board with its five DSPs booted, in both
/// hypervisor modes. An input is one mode byte (even: QHEE, Linux at EL1; odd: KVM host, Linux at
/// EL2) and up to six steps of 50 bytes: [0] which catalogued SCM call (or a raw x0, or the kernel
/// copying DSP x2's segments into its carveout, or x2 mod <see cref="MaxAdvance"/> ms of virtual time
/// passing — DSPs run, time out, crash and Linux recovers them — between calls), [1] two bits per argument x2..x5 choosing how it is
/// biased (raw, a small id, an address in a DSP carveout, an address in the kernel's DMA memory or of
/// a DSP's planted metadata — <see cref="SmcPlantedFirmware"/>), then six 64-bit words (raw x0, raw
/// x1, x2..x5). After every step:
/// nothing escaped the secure world or the hypervisor (any exception is a failure), and the security
/// invariants hold — <see cref="BoardInvariants"/> (no locked carveout readable by the non-secure world,
/// nothing a stopped remoteproc owned left behind), no bridge bypass and no DSP access outside its
/// mappings (<see cref="SecureAccessMonitor"/>), and every running DSP's SMMU mappings, walked in
/// memory, cover its carveout and nothing but its carveout and device memory
/// (<see cref="DspMappingInvariant"/>). <see cref="SmcBoardSession"/> keeps each input starting from
/// the booted state.
/// </summary>
internal sealed class SmcFuzzTarget : FuzzTarget, IDisposable
{
    private const int CallSize = 2 + (6 * 8);
    private const int MaxCalls = 6;
    private const ulong CarveoutBridgeSize = 1 << 20; // covers every generated image's window

    /// <summary>Longest pause one step can make: past the 5 s ready timeout, so a start that never completes is seen.</summary>
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromSeconds(6);

    // Selector values past the catalogue: a raw x0, the kernel's segment copy, time passing.
    private static int Selectors => ScmCatalog.Calls.Count + 3;

    private static int KernelLoadSelector => ScmCatalog.Calls.Count + 1;

    private static int AdvanceSelector => ScmCatalog.Calls.Count + 2;
    private readonly SmcBoardSession[] _sessions;
    private readonly uint[] _pasIds;

    /// <summary>A target against the board of <paramref name="dtb"/> (null: the default board); its DSPs come from the SoC tables.</summary>
    public SmcFuzzTarget(NamedBlob? dtb = null)
    {
        var firmware = new DefaultFirmwareCache(dtb);
        _pasIds = PasIdsOf(firmware.Dtb);
        // Another SoC's tree runs under QHEE only: as the KVM host Linux needs its EL2 overlay's iommus, which
        // qtz ships for the default board alone (both mode bytes then mean QHEE).
        _sessions = dtb is null
            ? [SmcBoardSession.Create(KernelMode.Qhee, firmware), SmcBoardSession.Create(KernelMode.Kvm, firmware)]
            : [SmcBoardSession.Create(KernelMode.Qhee, firmware)];
    }

    private static readonly Lazy<uint[]> DefaultPasIds = new(() => PasIdsOf(new NamedBlob(BoardDeviceTree.EmbeddedDtbName, BoardDeviceTree.EmbeddedDtb())));

    /// <summary>The PAS ids of a tree's enabled PAS remoteprocs in the board's order (as the SoC tables resolve them).</summary>
    private static uint[] PasIdsOf(NamedBlob dtb)
    {
        var tree = global::Qtz.DeviceTree.Model.DtTree.Parse(dtb.Bytes);
        return [.. BoardDeviceTree.PasNodes(tree).Select(n => SocCatalog.Linux.Resolve(n.GetStringList("compatible"))!.Data.PasId).Order()];
    }

    public override string Name => "smc";

    public override string Description => "non-secure SMCs against a booted board";

    public override int MaxInputLength => 1 + (CallSize * MaxCalls);

    /// <summary>The board session of a mode byte (even: QHEE, odd: KVM).</summary>
    internal SmcBoardSession Session(int mode) => _sessions[(mode & 1) % _sessions.Length];

    /// <summary>Boards built so far, both modes (a measure of how often inputs changed the board).</summary>
    public int BoardBuilds => _sessions.Sum(s => s.Builds);

    public override IReadOnlyList<byte[]> Seeds(Random random) => [Generate(random), Generate(random), Generate(random), Generate(random)];

    /// <summary>
    /// Half random calls, half a DSP lifecycle — SHUTDOWN, load, INIT_IMAGE with planted metadata, a bridge
    /// over the carveout (always for a KVM host, which needs one), AUTH_AND_RESET — with a wrong id or image now and then.
    /// </summary>
    public override byte[] Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(2) == 0 ? RandomCalls(random) : Lifecycle(random, _pasIds);
    }

    /// <summary>A lifecycle input for the default board.</summary>
    internal static byte[] Lifecycle(Random random) => Lifecycle(random, DefaultPasIds.Value);

    internal static byte[] Lifecycle(Random random, IReadOnlyList<uint> pasIds)
    {
        var dsps = pasIds.Select(id => (PasId: id, 0)).ToArray();
        var k = random.Next(dsps.Length);
        var pasId = random.Next(8) == 0 ? dsps[random.Next(dsps.Length)].PasId : dsps[k].PasId;
        var image = random.Next(8) == 0 ? random.Next(dsps.Length) : k;
        var mode = random.Next(2);
        var bridge = mode == 1 || random.Next(4) == 0; // a KVM host must bridge the carveout for AUTH_AND_RESET
        var wait = random.Next(2) == 0; // then let the DSP run (ready, heartbeat, Linux's view of a DSP it did not start)
        var bytes = new byte[1 + (CallSize * ((bridge ? 5 : 4) + (wait ? 1 : 0)))];
        bytes[0] = (byte)mode;
        var steps = bytes.AsSpan(1);
        Step(steps, "PIL.PAS_SHUTDOWN", pasId, 0);
        steps = steps[CallSize..];
        steps[0] = (byte)KernelLoadSelector; // the kernel loads DSP k's segments
        BinaryPrimitives.WriteUInt64LittleEndian(steps[18..], (ulong)k);
        steps = steps[CallSize..];
        Step(steps, "PIL.PAS_INIT_IMAGE", pasId, ((ulong)image << 8) | 3);
        steps = steps[CallSize..];
        if (bridge)
        {
            // SHM_BRIDGE_CREATE(carveout k | RW, carveout k | RW, 1 MiB | one NS VM, HLOS): offset 6 is the RW permission bits
            var carveout = CarveoutPointer(k, 6, dsps.Length);
            Step(steps, "MP.SHM_BRIDGE_CREATE", carveout, carveout, bias: 0b_00_00_10_10);
            BinaryPrimitives.WriteUInt64LittleEndian(steps[34..], CarveoutBridgeSize | (1UL << 9));
            BinaryPrimitives.WriteUInt64LittleEndian(steps[42..], 3);
            steps = steps[CallSize..];
        }

        Step(steps, "PIL.PAS_AUTH_AND_RESET", pasId, 0);
        if (wait)
        {
            steps = steps[CallSize..];
            steps[0] = (byte)AdvanceSelector;
            BinaryPrimitives.WriteUInt64LittleEndian(steps[18..], (ulong)random.Next((int)MaxAdvance.TotalMilliseconds));
        }

        return bytes;
    }

    /// <summary>A catalogued call with its documented arginfo, x2 and x3 biased as <paramref name="bias"/> says (two bits each).</summary>
    private static void Step(Span<byte> step, string call, ulong x2, ulong x3, byte bias = 0b_11_01)
    {
        step[0] = (byte)ScmCatalog.Calls.ToList().FindIndex(c => c.Name == call);
        step[1] = bias; // default: x2 a small id, x3 kernel DMA / planted metadata
        BinaryPrimitives.WriteUInt64LittleEndian(step[18..], x2);
        BinaryPrimitives.WriteUInt64LittleEndian(step[26..], x3);
    }

    /// <summary>A raw word that <see cref="Biased"/> mode 2 turns into carveout <paramref name="k"/>'s base + <paramref name="offset"/>.</summary>
    private static ulong CarveoutPointer(int k, ulong offset, int carveouts)
    {
        var raw = offset << 8;
        return raw + (ulong)((k - (int)(raw % (ulong)carveouts) + carveouts) % carveouts);
    }

    private static byte[] RandomCalls(Random random)
    {
        var bytes = new byte[1 + (CallSize * (1 + random.Next(MaxCalls)))];
        random.NextBytes(bytes);
        for (var at = 1; at < bytes.Length; at += CallSize)
        {
            bytes[at + 10] &= 0xFE; // mostly the documented arginfo
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 18), (ulong)random.Next(64)); // x2: often a PAS id
        }

        return bytes;
    }

    // Nothing may come out of the secure world or the hypervisor for guest input.
    public override bool IsExpectedRejection(Exception error) => false;

    public override void Prepare()
    {
        foreach (var session in _sessions) session.Ready();
    }

    public override void Execute(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length == 0) return;
        var session = Session(input[0]);
        session.Ready();
        try
        {
            for (var at = 1; at + CallSize <= input.Length; at += CallSize)
            {
                var raw = input.AsSpan(at, CallSize);
                var selector = raw[0] % Selectors;
                if (selector == KernelLoadSelector)
                {
                    var k = (int)(BinaryPrimitives.ReadUInt64LittleEndian(raw[18..]) % (ulong)session.Planted.Count);
                    Throw(session.KernelLoad(k), $"the kernel loaded {session.Board.Remoteprocs[k].Name}'s segments", session);
                    continue;
                }

                if (selector == AdvanceSelector)
                {
                    var pause = TimeSpan.FromMilliseconds(BinaryPrimitives.ReadUInt64LittleEndian(raw[18..]) % (ulong)MaxAdvance.TotalMilliseconds);
                    Throw(session.Advance(pause), $"{pause.TotalMilliseconds:0} ms of virtual time", session);
                    continue;
                }

                var call = Decode(session, raw);
                Throw(session.Call(call), $"{ScmCatalog.CallName(call.FunctionId)} x2=0x{call.X2:x}", session);
            }
        }
        finally
        {
            session.EndInput();
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions) session.Dispose();
    }

    private static void Throw(IReadOnlyList<InvariantViolation> violations, string after, SmcBoardSession session)
    {
        if (violations.Count > 0)
            throw new FuzzInvariantException(violations[0].Invariant, $"after {after} ({session.Board.Options.Mode}): {violations[0].Message}");
    }

    private static SmcCall Decode(SmcBoardSession session, ReadOnlySpan<byte> raw)
    {
        var board = session.Board;
        var calls = ScmCatalog.Calls;
        var selector = raw[0] % Selectors;
        var bias = raw[1];
        Span<ulong> words = stackalloc ulong[6];
        for (var i = 0; i < 6; i++) words[i] = BinaryPrimitives.ReadUInt64LittleEndian(raw[(2 + (i * 8))..]);
        ulong x0 = words[0], x1 = words[1];
        if (selector < calls.Count)
        {
            var info = calls[selector];
            x0 = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, info.Service, info.Command).Value;
            if ((words[1] & 1) == 0 && info.DocumentedArgInfo is { } documented) x1 = documented.Value;
        }

        Span<ulong> args = stackalloc ulong[4];
        for (var i = 0; i < 4; i++) args[i] = Biased(session, (bias >> (2 * i)) & 3, words[2 + i]);
        return new SmcCall(board.KernelCpu, x0, x1, args[0], args[1], args[2], args[3]);
    }

    private static ulong Biased(SmcBoardSession session, int mode, ulong raw)
    {
        var board = session.Board;
        return mode switch
        {
            1 => raw & 0x3F,
            2 => board.Remoteprocs[(int)(raw % (ulong)board.Remoteprocs.Count)].Carveout.Base.Value + ((raw >> 8) & 0xFFFF),
            3 when (raw & 3) == 3 => SmcPlantedFirmware.MetadataAddress(board, (int)((raw >> 8) % (ulong)session.Planted.Count)).Value,
            3 => board.Memory.KernelDma.Base.Value + ((raw >> 8) & 0xF_FFFF),
            _ => raw,
        };
    }
}
