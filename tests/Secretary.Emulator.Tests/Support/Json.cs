using System.Text.Json.Nodes;

namespace Secretary.Emulator.Tests.Support;

/// <summary>Helpers to read JSON replies in assertions.</summary>
internal static class Json
{
    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();

    public static string[] Strings(this JsonNode? node, string name) =>
        [.. node![name]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal)];

    public static JsonObject Obj(params (string Name, JsonNode? Value)[] members)
    {
        var result = new JsonObject();
        foreach (var (name, value) in members)
        {
            result[name] = value;
        }

        return result;
    }

    public static JsonArray Array(params string[] values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }
}
