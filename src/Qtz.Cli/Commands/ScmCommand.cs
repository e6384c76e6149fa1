using System.CommandLine;
using System.Globalization;
using Qtz.Cli.Infrastructure;
using Qtz.Soc;
using Qtz.Soc.Smc;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz scm …</c>: the SCM call interface between Linux and TrustZone.</summary>
internal static class ScmCommand
{
    internal static Command Create()
    {
        var scm = new Command("scm", "SCM (SMC calls into TrustZone): decode function IDs and arginfo words");
        scm.Subcommands.Add(CreateDecode());
        return scm;
    }

    private static Command CreateDecode()
    {
        var fid = new Argument<string>("FID") { Description = "SMCCC function ID from x0, e.g. 0x42000201" };
        var argInfo = new Argument<string?>("ARGINFO") { Description = "arginfo word from x1, e.g. 0x82 (default: the documented one, if known)", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOutput.CreateOption();
        var decode = new Command("decode", "Name an SCM call and its argument types: qtz scm decode 0x42000201 0x82") { fid, argInfo, json };
        decode.SetAction(parse =>
        {
            var id = new FunctionId(ParseWord(parse.GetValue(fid)!, "FID", uint.MaxValue));
            var given = parse.GetValue(argInfo) is { } text ? new ArgInfo(ParseWord(text, "ARGINFO", 0xFF_FFFF)) : (ArgInfo?)null;
            if (given is { Count: > ArgInfo.MaxArgs } bad)
                throw new CliUsageException($"ARGINFO {bad} declares {bad.Count} arguments; an SCM call has at most {ArgInfo.MaxArgs}");
            var decoded = ScmDecoding.Describe(id, given);
            if (parse.GetValue(json)) JsonOutput.Write(Console.Out, decoded);
            else Console.Out.WriteLine(decoded.ToText());
            return ExitCodes.Ok;
        });
        return decode;
    }

    private static uint ParseWord(string text, string what, uint max)
    {
        var trimmed = text.Trim();
        var hex = trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        var ok = hex
            ? ulong.TryParse(trimmed.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok) throw new CliUsageException($"{what} '{text}' is not a number: give decimal or 0x-prefixed hex, e.g. 0x42000201");
        if (value > max) throw new CliUsageException($"{what} '{text}' does not fit: the largest {what} is 0x{max:x}");
        return (uint)value;
    }
}

/// <summary>What <c>qtz scm decode</c> prints (also its JSON shape).</summary>
internal sealed record ScmDecoding(
    string Fid,
    string Name,
    string Service,
    int ServiceId,
    string? Command,
    int CommandId,
    string CallType,
    string Convention,
    string Owner,
    int OwnerId,
    string? Arginfo,
    bool ArginfoDocumented,
    IReadOnlyList<string>? Args,
    bool ReservedBitsSet)
{
    public static ScmDecoding Describe(FunctionId id, ArgInfo? given)
    {
        var known = id.IsScm ? ScmCatalog.Find(id.Service, id.Command) : null;
        var argInfo = given ?? known?.DocumentedArgInfo;
        IReadOnlyList<string>? args = argInfo is { } a
            ? [.. Enumerable.Range(0, a.Count).Select(i => ArgInfo.TypeName(a.TypeAt(i)))]
            : null;
        return new ScmDecoding(
            id.ToString(),
            ScmCatalog.CallName(id),
            id.IsScm ? ScmCatalog.ServiceName(id.Service) : ScmCatalog.OwnerName(id.Owner),
            id.Service,
            known?.CommandName,
            id.Command,
            id.IsFast ? "fast" : "std",
            id.Is64 ? "smc64" : "smc32",
            ScmCatalog.OwnerName(id.Owner),
            (int)id.Owner,
            argInfo?.ToString(),
            given is null && argInfo is not null,
            args,
            id.ReservedBits != 0);
    }

    /// <summary><c>PIL.PAS_INIT_IMAGE std smc64 owner=SIP args: val, rw</c></summary>
    public string ToText()
    {
        var text = $"{Name} {CallType} {Convention} owner={Owner}";
        if (ReservedBitsSet) text += " reserved-bits-set";
        if (Args is not null) text += " args: " + (Args.Count == 0 ? "none" : string.Join(", ", Args)) + (ArginfoDocumented ? " (documented)" : "");
        return text;
    }
}
