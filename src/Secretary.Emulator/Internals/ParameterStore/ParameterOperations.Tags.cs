using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals.ParameterStore;

internal sealed partial class ParameterOperations
{
    private static readonly string[] ResourceTypes = ["Document", "ManagedInstance", "MaintenanceWindow", "Parameter", "PatchBaseline", "OpsItem", "OpsMetadata", "Automation", "Association", "CloudConnector"];

    private JsonObject AddTagsToResource(string region, RequestInput input)
    {
        var parameter = TaggedParameter(region, input);
        var tags = ReadTags(input) ?? throw EmulatorException.Validation("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        var merged = new List<KeyValuePair<string, string>>(parameter.Tags);
        foreach (var tag in tags)
        {
            var at = merged.FindIndex(t => t.Key == tag.Key);
            if (at >= 0)
            {
                merged[at] = tag;
            }
            else
            {
                merged.Add(tag);
            }
        }

        if (merged.Count > MaxTags)
        {
            throw new EmulatorException("TooManyTagsError", "The Targets parameter includes too many tags. Remove one or more tags and try the command again.");
        }

        parameter.Tags.Clear();
        parameter.Tags.AddRange(merged);
        return [];
    }

    private JsonObject ListTagsForResource(string region, RequestInput input)
    {
        var parameter = TaggedParameter(region, input);
        var list = new JsonArray();
        foreach (var (key, value) in parameter.Tags)
        {
            list.Add((JsonNode)new JsonObject { ["Key"] = key, ["Value"] = value });
        }

        return new JsonObject { ["TagList"] = list };
    }

    private JsonObject RemoveTagsFromResource(string region, RequestInput input)
    {
        var parameter = TaggedParameter(region, input);
        var keys = input.StringList("TagKeys", 0, int.MaxValue, 1, 128, required: true)!;
        parameter.Tags.RemoveAll(t => keys.Contains(t.Key, StringComparer.Ordinal));
        return [];
    }

    /// <summary>The parameter a tagging call names: resource type Parameter (the emulator has no other), id a name or ARN.</summary>
    private ParameterRecord TaggedParameter(string region, RequestInput input)
    {
        var type = input.Enum("ResourceType", ResourceTypes) ?? throw EmulatorException.Validation("Value null at 'resourceType' failed to satisfy constraint: Member must not be null");
        var id = input.Required("ResourceId", 1, 2048).Trim();
        if (type != "Parameter")
        {
            throw new EmulatorException("InvalidResourceType", "The resource type isn't valid: the emulator keeps tags of parameters only.");
        }

        return Find(region, id) ?? throw new EmulatorException("InvalidResourceId", "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
    }

    private static List<KeyValuePair<string, string>>? ReadTags(RequestInput input)
    {
        var array = input.Array("Tags", 0, 1000);
        if (array is null)
        {
            return null;
        }

        var tags = new List<KeyValuePair<string, string>>();
        foreach (var item in RequestInput.Structures(array, "Tags", "Tag", ["Key", "Value"]))
        {
            var key = item.Required("Key", 1, 128);
            var value = item.String("Value", 0, 256, required: true)!;
            tags.RemoveAll(t => t.Key == key);
            tags.Add(new(key, value));
        }

        return tags;
    }
}
