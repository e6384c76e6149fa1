using Qtz.Firmware.Elf;
using Xunit;

namespace Qtz.Firmware.Tests.Elf;

public class ProgramHeaderTypeTests
{
    [Theory]
    [InlineData(0u, "NULL")]
    [InlineData(1u, "LOAD")]
    [InlineData(2u, "DYNAMIC")]
    [InlineData(3u, "INTERP")]
    [InlineData(4u, "NOTE")]
    [InlineData(6u, "PHDR")]
    [InlineData(7u, "TLS")]
    [InlineData(0x6474e550u, "GNU_EH_FRAME")]
    [InlineData(0x6474e551u, "GNU_STACK")]
    [InlineData(0x6474e552u, "GNU_RELRO")]
    [InlineData(0x70000001u, "LOPROC+0x1")]
    [InlineData(0x60000010u, "LOOS+0x10")]
    [InlineData(0x12345u, "0x12345")]
    public void Program_header_types_have_their_readelf_names(uint type, string name) =>
        Assert.Equal(name, ProgramHeaderType.Name(type));
}
