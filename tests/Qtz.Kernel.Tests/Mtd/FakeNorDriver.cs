using Qtz.Kernel.Mtd;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Tests.Mtd;

/// <summary>A RAM-backed NOR driver that records every call the core lets through.</summary>
internal sealed class FakeNorDriver
{
    public FakeNorDriver(ulong size = 64 * 1024, uint eraseSize = 4096, MtdFlags flags = MtdFlags.CapNorFlash)
    {
        Bytes = new byte[size];
        Bytes.AsSpan().Fill(0xFF);
        Mtd = new MtdInfo
        {
            Name = "fake",
            Size = size,
            EraseSize = eraseSize,
            WriteSize = 1,
            WriteBufSize = 256,
            Flags = flags,
            Operations = new MtdOperations
            {
                Read = (ulong from, Span<byte> buffer, ref ulong retlen) =>
                {
                    Calls.Add($"read {from} {buffer.Length}");
                    Bytes.AsSpan((int)from, buffer.Length).CopyTo(buffer);
                    retlen += (ulong)buffer.Length;
                    return ReadResult;
                },
                Write = (ulong to, ReadOnlySpan<byte> buffer, ref ulong retlen) =>
                {
                    Calls.Add($"write {to} {buffer.Length}");
                    for (var i = 0; i < buffer.Length; i++) Bytes[(int)to + i] &= buffer[i];
                    retlen += (ulong)buffer.Length;
                    return 0;
                },
                Erase = instr =>
                {
                    Calls.Add($"erase {instr.Addr} {instr.Len}");
                    if (instr.Addr % eraseSize != 0 || instr.Len % eraseSize != 0) return -EINVAL;
                    Bytes.AsSpan((int)instr.Addr, (int)instr.Len).Fill(0xFF);
                    return 0;
                },
            },
        };
    }

    public byte[] Bytes { get; }

    public MtdInfo Mtd { get; }

    public List<string> Calls { get; } = [];

    public int ReadResult { get; set; }
}
