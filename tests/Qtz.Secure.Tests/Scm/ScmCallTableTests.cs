using Qtz.Soc;
using Xunit;
using Qtz.Soc.Smc;
using static Qtz.Soc.Smc.ScmArgType;

namespace Qtz.Secure.Tests.Scm;

/// <summary>spec/scm-pas.md §1.9, §2.1 and §3.1: every documented call encodes to its FID and arginfo and decodes back.</summary>
public sealed class ScmCallTableTests
{
    /// <summary>(name, svc, cmd, FID as documented, arginfo as documented, the ARGS(...) types).</summary>
    public static TheoryData<string, byte, byte, uint, uint, ScmArgType[]> Documented => new()
    {
        { "BOOT.SET_ADDR", 0x01, 0x01, 0x42000101, 0, [] },
        { "BOOT.SET_REMOTE_STATE", 0x01, 0x0A, 0x4200010A, 0x2, [Val, Val] },
        { "PIL.PAS_INIT_IMAGE", 0x02, 0x01, 0x42000201, 0x82, [Val, Rw] },
        { "PIL.PAS_MEM_SETUP", 0x02, 0x02, 0x42000202, 0x3, [Val, Val, Val] },
        { "PIL.PAS_AUTH_AND_RESET", 0x02, 0x05, 0x42000205, 0x1, [Val] },
        { "PIL.PAS_SHUTDOWN", 0x02, 0x06, 0x42000206, 0x1, [Val] },
        { "PIL.PAS_IS_SUPPORTED", 0x02, 0x07, 0x42000207, 0x1, [Val] },
        { "PIL.PAS_MSS_RESET", 0x02, 0x0A, 0x4200020A, 0x2, [Val, Val] },
        { "PIL.PAS_INIT_IMAGE_V2", 0x02, 0x1A, 0x4200021A, 0x83, [Val, Rw, Val] },
        { "PIL.PAS_GET_RSCTABLE", 0x02, 0x21, 0x42000221, 0x845, [Val, Ro, Val, Rw, Val] },
        { "INFO.IS_CALL_AVAIL", 0x06, 0x01, 0x42000601, 0x1, [Val] },
        { "MP.ASSIGN", 0x0C, 0x16, 0x42000C16, 0x1117, [Ro, Val, Ro, Val, Ro, Val, Val] },
        { "MP.SHM_BRIDGE_ENABLE", 0x0C, 0x1C, 0x42000C1C, 0x0, [] },
        { "MP.SHM_BRIDGE_DELETE", 0x0C, 0x1D, 0x42000C1D, 0x1, [Val] },
        { "MP.SHM_BRIDGE_CREATE", 0x0C, 0x1E, 0x42000C1E, 0x4, [Val, Val, Val, Val] },
        { "STORAGE.STORAGE_CMD", 0x1A, 0x01, 0x42001A01, 0x214, [Ro, Val, Rw, Val] },
        { "WAITQ.RESUME", 0x24, 0x02, 0x42002402, 0x1, [Val] },
    };

    [Theory]
    [MemberData(nameof(Documented))]
    public void Documented_call_encodes_to_its_function_id_and_arginfo_and_decodes_back(string name, byte svc, byte cmd, uint fid, uint arginfo, ScmArgType[] types)
    {
        var id = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, svc, cmd);
        var info = ArgInfo.Of(types);
        Assert.Equal(fid, id.Value);
        Assert.Equal(arginfo, info.Value);

        var decodedId = FunctionId.FromRegister(fid);
        Assert.Equal(SmcCallType.Std, decodedId.CallType);
        Assert.Equal(SmcConvention.Smc64, decodedId.Convention);
        Assert.Equal(SmcOwner.Sip, decodedId.Owner);
        Assert.Equal((svc, cmd), (decodedId.Service, decodedId.Command));
        Assert.Equal(name, ScmCatalog.CallName(decodedId));
        var decodedInfo = new ArgInfo(arginfo);
        Assert.Equal(types.Length, decodedInfo.Count);
        Assert.Equal(types, Enumerable.Range(0, decodedInfo.Count).Select(decodedInfo.TypeAt));
    }

    [Theory]
    [MemberData(nameof(Documented))]
    public void Catalog_documents_the_same_arginfo_as_the_spec(string name, byte svc, byte cmd, uint fid, uint arginfo, ScmArgType[] types)
    {
        _ = (fid, types);
        var call = ScmCatalog.Find(name);
        Assert.NotNull(call);
        Assert.Equal((svc, cmd), (call.Service, call.Command));
        if (call.DocumentedArgInfo is { } documented) Assert.Equal(arginfo, documented.Value);
    }

    [Theory]
    [InlineData(0x42000000u, SmcCallType.Std, SmcConvention.Smc64)]
    [InlineData(0xC2000000u, SmcCallType.Fast, SmcConvention.Smc64)]
    [InlineData(0x02000000u, SmcCallType.Std, SmcConvention.Smc32)]
    [InlineData(0x82000000u, SmcCallType.Fast, SmcConvention.Smc32)]
    public void SIP_bases_are_the_documented_ones(uint expected, SmcCallType type, SmcConvention convention) =>
        Assert.Equal(expected, FunctionId.Create(type, convention, SmcOwner.Sip, 0, 0).Value);

    [Theory]
    [InlineData("IO.IO_READ", 0xC2000501u)]
    [InlineData("IO.IO_WRITE", 0xC2000502u)]
    [InlineData("WAITQ.GET_WQ_CTX", 0xC2002403u)]
    [InlineData("BOOT.SET_ADDR", 0xC2000101u)]
    public void Atomic_calls_use_the_fast_form(string name, uint fid) =>
        Assert.Equal(fid, ScmCatalog.Find(name)!.FunctionId().Value);

    [Fact]
    public void Probing_asks_IS_CALL_AVAIL_as_a_fast_SMC64_call() =>
        Assert.Equal(0xC2000601u, FunctionId.Create(SmcCallType.Fast, SmcConvention.Smc64, SmcOwner.Sip, 0x06, 0x01).Value);

    [Fact]
    public void Precomputed_arginfo_values_of_the_spec_hold()
    {
        Assert.Equal(0x1u, ArgInfo.Values(1).Value);
        Assert.Equal(0x6u, ArgInfo.Values(6).Value);
        Assert.Equal(0x1u, ArgInfo.Of(Val).Value);
    }

    [Fact]
    public void Unknown_ids_are_spelled_out()
    {
        Assert.Equal("PIL.0x33", ScmCatalog.CallName(0x02, 0x33));
        Assert.Equal("SVC_0x40.0x01", ScmCatalog.CallName(0x40, 0x01));
        Assert.Equal("RESUME_INTERRUPTED", ScmCatalog.CallName(new FunctionId(1)));
        Assert.Equal("ARM.0x0000", ScmCatalog.CallName(new FunctionId(0x80000000)));
    }

    [Fact]
    public void Function_id_is_taken_from_the_low_32_bits_of_x0() =>
        Assert.Equal(0x42000201u, FunctionId.FromRegister(0xFFFF_FFFF_4200_0201).Value);

    [Fact]
    public void Ext_args_are_seven_entries_of_the_convention_width()
    {
        ulong[] args = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x1_0000_0009];
        var wide = new byte[56];
        ScmExtArgs.Encode(args, SmcConvention.Smc64, wide);
        Assert.Equal([3UL, 4, 5, 6, 7, 8, 0x1_0000_0009], Enumerable.Range(0, 7).Select(e => ScmExtArgs.Decode(wide, SmcConvention.Smc64, e)));
        var narrow = new byte[28];
        ScmExtArgs.Encode(args, SmcConvention.Smc32, narrow);
        Assert.Equal([3UL, 4, 5, 6, 7, 8, 9], Enumerable.Range(0, 7).Select(e => ScmExtArgs.Decode(narrow, SmcConvention.Smc32, e)));
    }
}
