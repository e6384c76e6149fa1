using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qtz.Cli.Infrastructure;

/// <summary>The <c>--json</c> convention: one indented JSON document on stdout, camelCase names, enums as strings.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write<T>(TextWriter stdout, T value)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        stdout.WriteLine(JsonSerializer.Serialize(value, Options));
    }

    /// <summary>The shared <c>--json</c> option.</summary>
    public static System.CommandLine.Option<bool> CreateOption() => new("--json") { Description = "Print data as JSON on stdout" };
}
