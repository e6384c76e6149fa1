using System.Buffers.Binary;
using Qtz.Platform.Boards;
using Qtz.Soc;

namespace Qtz.Platform.Fuzzing.Targets;

/// <summary>
/// Random SMCs from the non-secure world (the kernel CPU, EL1 under QHEE) against the default board
/// with its five DSPs booted. An input is up to four calls of 50 bytes: [0] which catalogued SCM call
/// (or a raw x0), [1] two bits per argument x2..x5 choosing how it is biased (raw, a small id, an
/// address in a DSP carveout, an address in the kernel's DMA memory), then six 64-bit words (raw x0,
/// raw x1, x2..x5). After every call: nothing escaped the secure world or the hypervisor (any exception
/// is a failure) and <see cref="BoardInvariants"/> hold (no locked carveout readable by the non-secure
/// world, nothing a stopped remoteproc owned left behind). A board on which a call succeeded is
/// rebuilt before the next input, so every input starts from the same booted state.
/// </summary>
internal sealed class SmcFuzzTarget : FuzzTarget
{
    private const int CallSize = 2 + (6 * 8);
    private const int MaxCalls = 4;
    private Board? _board;

    public override string Name => "smc";

    public override string Description => "non-secure SMCs against a booted board";

    public override int MaxInputLength => CallSize * MaxCalls;

    public override IReadOnlyList<byte[]> Seeds(Random random) => [Generate(random), Generate(random), Generate(random)];

    public override byte[] Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new byte[CallSize * (1 + random.Next(MaxCalls))];
        random.NextBytes(bytes);
        for (var at = 0; at < bytes.Length; at += CallSize)
        {
            bytes[at + 10] &= 0xFE; // mostly the documented arginfo
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 18), (ulong)random.Next(64)); // x2: often a PAS id
        }

        return bytes;
    }

    // Nothing may come out of the secure world or the hypervisor for guest input.
    public override bool IsExpectedRejection(Exception error) => false;

    public override void Prepare() => _board ??= Booted();

    public override void Execute(byte[] input)
    {
        var board = _board ??= Booted();
        var changed = false;
        try
        {
            for (var at = 0; at + CallSize <= input.Length; at += CallSize)
            {
                var call = Decode(board, input.AsSpan(at, CallSize));
                var result = board.Conduit.Smc(call);
                changed |= result.X0 == 0 && call.FunctionId.Service != ScmCatalog.Info && !IsQuery(call.FunctionId);
                var violations = BoardInvariants.Check(board);
                if (violations.Count > 0)
                    throw new FuzzInvariantException("board-security-invariants", $"after {call.FunctionId} x2=0x{call.X2:x}: {violations[0]}");
            }
        }
        finally
        {
            if (changed) _board = null;
        }
    }

    // PAS_IS_SUPPORTED only answers a question; every other successful call may have changed the board.
    private static bool IsQuery(FunctionId id) => id.Service == ScmCatalog.Pil && id.Command == 0x07;

    private static Board Booted()
    {
        var board = Board.Build();
        var report = board.Boot();
        if (!report.AllRunning) throw new InvalidOperationException("the default board did not boot all its DSPs");
        return board;
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
