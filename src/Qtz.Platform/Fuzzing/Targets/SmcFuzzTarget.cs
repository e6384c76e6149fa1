using System.Buffers.Binary;
using Qtz.Platform.Boards;
using Qtz.Platform.Fuzzing.Invariants;
using Qtz.Soc;

namespace Qtz.Platform.Fuzzing.Targets;

/// <summary>
/// Random SMCs from the non-secure world against the default board with its five DSPs booted, in both
/// hypervisor modes. An input is one mode byte (even: QHEE, Linux at EL1; odd: KVM host, Linux at
/// EL2) and up to four calls of 50 bytes: [0] which catalogued SCM call (or a raw x0), [1] two bits per
/// argument x2..x5 choosing how it is biased (raw, a small id, an address in a DSP carveout, an address
/// in the kernel's DMA memory), then six 64-bit words (raw x0, raw x1, x2..x5). After every call:
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
    private const int MaxCalls = 4;
    private readonly SmcBoardSession[] _sessions;

    public SmcFuzzTarget()
    {
        var firmware = new DefaultFirmwareCache();
        _sessions = [new(SmcBoardSession.Prepare(KernelMode.Qhee, firmware)), new(SmcBoardSession.Prepare(KernelMode.Kvm, firmware))];
    }

    public override string Name => "smc";

    public override string Description => "non-secure SMCs against a booted board";

    public override int MaxInputLength => 1 + (CallSize * MaxCalls);

    /// <summary>Boards built so far, both modes (a measure of how often inputs changed the board).</summary>
    public int BoardBuilds => _sessions.Sum(s => s.Builds);

    public override IReadOnlyList<byte[]> Seeds(Random random) => [Generate(random), Generate(random), Generate(random), Generate(random)];

    public override byte[] Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
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
        var session = _sessions[input[0] & 1];
        session.Ready();
        try
        {
            for (var at = 1; at + CallSize <= input.Length; at += CallSize)
            {
                var call = Decode(session.Board, input.AsSpan(at, CallSize));
                var violations = session.Call(call);
                if (violations.Count > 0)
                    throw new FuzzInvariantException(violations[0].Invariant, $"after {ScmCatalog.CallName(call.FunctionId)} x2=0x{call.X2:x} ({session.Board.Options.Mode}): {violations[0].Message}");
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

    private static SmcCall Decode(Board board, ReadOnlySpan<byte> raw)
    {
        var calls = ScmCatalog.Calls;
        var selector = raw[0] % (calls.Count + 1);
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
        for (var i = 0; i < 4; i++) args[i] = Biased(board, (bias >> (2 * i)) & 3, words[2 + i]);
        return new SmcCall(board.KernelCpu, x0, x1, args[0], args[1], args[2], args[3]);
    }

    private static ulong Biased(Board board, int mode, ulong raw) => mode switch
    {
        1 => raw & 0x3F,
        2 => board.Remoteprocs[(int)(raw % (ulong)board.Remoteprocs.Count)].Carveout.Base.Value + ((raw >> 8) & 0xFFFF),
        3 => board.Memory.KernelDma.Base.Value + ((raw >> 8) & 0xF_FFFF),
        _ => raw,
    };
}
