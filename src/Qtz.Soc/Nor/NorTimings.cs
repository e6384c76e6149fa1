namespace Qtz.Soc.Nor;

/// <summary>
/// Self-timed operation durations (datasheet typical values) and the read bus rate. Program time
/// scales with the bytes sent (first byte, then per byte), capped at the full-page figure.
/// </summary>
public sealed record NorTimings(
    TimeSpan PageProgram,
    TimeSpan FirstByteProgram,
    TimeSpan NextByteProgram,
    TimeSpan SectorErase,
    TimeSpan Block32Erase,
    TimeSpan Block64Erase,
    TimeSpan ChipErase,
    long ReadBytesPerSecond,
    TimeSpan CommandOverhead)
{
    /// <summary>
    /// Winbond W25Q256JW typical figures (tPP 0.4 ms, tBP1 30 µs, tBP2 2.5 µs, tSE 45 ms, tBE1 120 ms,
    /// tBE2 150 ms, tCE 80 s) and Fast Read Quad I/O at 133 MHz (4 bits per clock). spec/mtd.md marks
    /// the W25Q256JW timing values UNCONFIRMED; these are the W25Q256JV family's published typicals.
    /// </summary>
    public static NorTimings W25Q256JW { get; } = new(
        PageProgram: TimeSpan.FromMicroseconds(400),
        FirstByteProgram: TimeSpan.FromMicroseconds(30),
        NextByteProgram: TimeSpan.FromTicks(25), // 2.5 µs
        SectorErase: TimeSpan.FromMilliseconds(45),
        Block32Erase: TimeSpan.FromMilliseconds(120),
        Block64Erase: TimeSpan.FromMilliseconds(150),
        ChipErase: TimeSpan.FromSeconds(80),
        ReadBytesPerSecond: 133_000_000 / 2,
        CommandOverhead: TimeSpan.FromTicks(5)); // opcode + 4-byte address + dummy clocks ≈ 0.5 µs

    public TimeSpan ProgramTime(int bytes)
    {
        if (bytes <= 0) return TimeSpan.Zero;
        var scaled = FirstByteProgram + NextByteProgram * (bytes - 1);
        return scaled < PageProgram ? scaled : PageProgram;
    }

    public TimeSpan ReadTime(long bytes) =>
        CommandOverhead + TimeSpan.FromTicks(bytes * TimeSpan.TicksPerSecond / ReadBytesPerSecond);

    public TimeSpan EraseTime(NorEraseUnit unit) => unit switch
    {
        NorEraseUnit.Sector => SectorErase,
        NorEraseUnit.Block32 => Block32Erase,
        NorEraseUnit.Block64 => Block64Erase,
        _ => ChipErase,
    };
}

/// <summary>The erase commands a serial NOR accepts (opcodes 20h, 52h, D8h, C7h).</summary>
public enum NorEraseUnit : byte
{
    Sector,
    Block32,
    Block64,
    Chip,
}
