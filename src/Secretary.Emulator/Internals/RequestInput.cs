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
    /// <summary>Members whose values the service never repeats in a message (the model's sensitive shapes).</summary>
    private static readonly HashSet<string> Sensitive = new(StringComparer.Ordinal) { "SecretString", "SecretBinary" };

    private readonly JsonObject _body;
    private readonly string? _path;

    /// <param name="body">The JSON object.</param>
    /// <param name="members">The members it may have.</param>
    /// <param name="path">Where it sits in the request, for messages (for example <c>Filters.2.member</c>); none for the body.</param>
    public RequestInput(JsonObject body, IReadOnlyCollection<string> members, string? path = null)
    {
        _body = body;
        _path = path;
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
            return required ? throw Null(Where(name)) : null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw EmulatorException.Serialization($"Expected a string for member {name}.");
        }

        var value = node.GetValue<string>();
        CheckLength(Where(name), value.Length, min, max, value);
        return value;
    }

    public string Required(string name, int min, int max) => String(name, min, max, required: true)!;

    /// <summary>A string member of an enum shape; another value is the service's enum <c>ValidationException</c>.</summary>
    public string? Enum(string name, IReadOnlyList<string> allowed)
    {
        var value = String(name, 0, int.MaxValue);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw EmulatorException.Validation(Constraint(Where(name), value, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]"));
        }

        return value;
    }

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
            throw EmulatorException.Validation($"Value '{number}' at '{Camel(Where(name))}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
        }

        if (number > max)
        {
            throw EmulatorException.Validation($"Value '{number}' at '{Camel(Where(name))}' failed to satisfy constraint: Member must have value less than or equal to {max}");
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

        CheckLength(Where(name), bytes.Length, min, max);
        return bytes;
    }

    public JsonArray? Array(string name, int minCount, int maxCount, bool required = false)
    {
        var node = _body[name];
        if (node is null)
        {
            return required ? throw Null(Where(name)) : null;
        }

        if (node is not JsonArray array)
        {
            throw EmulatorException.Serialization($"Expected a list for member {name}.");
        }

        CheckLength(Where(name), array.Count, minCount, maxCount, ListText(array));
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
            CheckLength($"{Where(name)}.{list.Count + 1}.member", value.Length, itemMin, itemMax, value);
            list.Add(value);
        }

        return list;
    }

    /// <summary>
    /// The structures of a list member, each as its own input whose messages name it as the service does
    /// (<c>filters.2.member.key</c>); an element that is not an object is a <c>SerializationException</c>.
    /// </summary>
    public static List<RequestInput> Structures(JsonArray? array, string name, string shape, IReadOnlyCollection<string> members)
    {
        var items = new List<RequestInput>();
        foreach (var node in array ?? [])
        {
            items.Add(node is JsonObject item
                ? new RequestInput(item, members, $"{name}.{items.Count + 1}.member")
                : throw EmulatorException.Serialization($"Expected a list of {shape} structures for member {name}."));
        }

        return items;
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

    /// <summary>The member path as the service writes it: each segment starts lower case (<c>filters.1.member.key</c>).</summary>
    public static string Camel(string name) =>
        string.Join('.', name.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>The path of <paramref name="name"/> in the request.</summary>
    public string Where(string name) => _path is null ? name : _path + "." + name;

    private static EmulatorException Null(string name) =>
        EmulatorException.Validation($"Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");

    /// <summary>The service's wording: <c>Value 'x' at 'member' failed to satisfy constraint: …</c>; a sensitive value is left out.</summary>
    public static string Constraint(string name, string? value, string constraint) =>
        value is null || Sensitive.Contains(name.Split('.')[0])
            ? $"Value at '{Camel(name)}' failed to satisfy constraint: {constraint}"
            : $"Value '{value}' at '{Camel(name)}' failed to satisfy constraint: {constraint}";

    private static string ListText(JsonArray array) =>
        "[" + string.Join(", ", array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var text) ? text : n?.ToJsonString())) + "]";

    private static void CheckLength(string name, int length, int min, int max, string? value = null)
    {
        if (length < min)
        {
            throw EmulatorException.Validation(Constraint(name, value, $"Member must have length greater than or equal to {min}"));
        }

        if (length > max)
        {
            throw EmulatorException.Validation(Constraint(name, value, $"Member must have length less than or equal to {max}"));
        }
    }
}
