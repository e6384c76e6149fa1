using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// The <c>--json</c> convention: one indented JSON document on stdout, camelCase names, enums as strings.
/// Serialisation is source-generated (<see cref="QtzJson"/>): a type printed with <c>--json</c> is listed
/// there, so the native build needs no reflection.
/// </summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(QtzJson.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write<T>(TextWriter stdout, T value)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        stdout.WriteLine(Serialize(value));
    }

    public static string Serialize<T>(T value)
    {
        var info = Options.TryGetTypeInfo(typeof(T), out var found) && found is JsonTypeInfo<T> typed
            ? typed
            : throw new InvalidOperationException($"{typeof(T).Name} is not listed in QtzJson (the source-generated JSON context)");
        return JsonSerializer.Serialize(value, info);
    }

    /// <summary>camelCase of an enum member, as the JSON shapes spell enum values.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>The shared <c>--json</c> option.</summary>
    public static System.CommandLine.Option<bool> CreateOption() => new("--json") { Description = "Print data as JSON on stdout" };
}
