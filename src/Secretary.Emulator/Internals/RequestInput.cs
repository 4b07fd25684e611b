using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <summary>
/// Typed, validated access to one awsJson1_1 request body. Type errors are <c>SerializationException</c>,
/// model constraint violations (required, length, range) are <c>ValidationException</c>, members the operation
/// does not define are <c>InvalidParameterException</c>. Messages name the member, never its value.
/// </summary>
internal sealed class RequestInput
{
    private readonly JsonObject _body;

    public RequestInput(JsonObject body, IReadOnlyCollection<string> members)
    {
        _body = body;
        foreach (var property in body)
        {
            if (!members.Contains(property.Key))
            {
                throw EmulatorException.InvalidParameter($"The parameter {property.Key} is not a valid parameter of this operation.");
            }
        }
    }

    public bool Has(string name) => _body[name] is not null;

    public string? String(string name, int min, int max, bool required = false)
    {
        var node = _body[name];
        if (node is null)
        {
            return required ? throw Null(name) : null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw EmulatorException.Serialization($"Expected a string for member {name}.");
        }

        var value = node.GetValue<string>();
        CheckLength(name, value.Length, min, max);
        return value;
    }

    public string Required(string name, int min, int max) => String(name, min, max, required: true)!;

    public bool? Bool(string name)
    {
        var node = _body[name];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw EmulatorException.Serialization($"Expected a boolean for member {name}."),
        };
    }

    public long? Long(string name, long min, long max)
    {
        var node = _body[name];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || node is not JsonValue value || !value.TryGetValue<long>(out var number))
        {
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue)
            {
                number = (long)d;
            }
            else
            {
                throw EmulatorException.Serialization($"Expected an integer for member {name}.");
            }
        }

        if (number < min)
        {
            throw EmulatorException.Validation($"Value at '{Camel(name)}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
        }

        if (number > max)
        {
            throw EmulatorException.Validation($"Value at '{Camel(name)}' failed to satisfy constraint: Member must have value less than or equal to {max}");
        }

        return number;
    }

    public byte[]? Blob(string name, int min, int max)
    {
        var text = String(name, 0, int.MaxValue);
        if (text is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw EmulatorException.Serialization($"Member {name} is not valid base64.");
        }

        CheckLength(name, bytes.Length, min, max);
        return bytes;
    }

    public JsonArray? Array(string name, int minCount, int maxCount, bool required = false)
    {
        var node = _body[name];
        if (node is null)
        {
            return required ? throw Null(name) : null;
        }

        if (node is not JsonArray array)
        {
            throw EmulatorException.Serialization($"Expected a list for member {name}.");
        }

        CheckLength(name, array.Count, minCount, maxCount);
        return array;
    }

    public List<string>? StringList(string name, int minCount, int maxCount, int itemMin, int itemMax, bool required = false)
    {
        var array = Array(name, minCount, maxCount, required);
        if (array is null)
        {
            return null;
        }

        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.String)
            {
                throw EmulatorException.Serialization($"Expected a list of strings for member {name}.");
            }

            var value = item.GetValue<string>();
            CheckLength(name + ".member", value.Length, itemMin, itemMax);
            list.Add(value);
        }

        return list;
    }

    public JsonObject? Object(string name)
    {
        var node = _body[name];
        if (node is null)
        {
            return null;
        }

        return node as JsonObject ?? throw EmulatorException.Serialization($"Expected a structure for member {name}.");
    }

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static EmulatorException Null(string name) =>
        EmulatorException.Validation($"Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");

    private static void CheckLength(string name, int length, int min, int max)
    {
        if (length < min)
        {
            throw EmulatorException.Validation($"Value at '{Camel(name)}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        }

        if (length > max)
        {
            throw EmulatorException.Validation($"Value at '{Camel(name)}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }
    }
}
