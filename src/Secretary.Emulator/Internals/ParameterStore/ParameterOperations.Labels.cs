using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals.ParameterStore;

internal sealed partial class ParameterOperations
{
    /// <summary>Attaches labels to a version (the latest by default); a label on another version moves here; invalid labels are listed, not refused.</summary>
    private JsonObject LabelParameterVersion(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, 2048).Trim();
        var versionNumber = input.Long("ParameterVersion", long.MinValue, long.MaxValue);
        var labels = input.StringList("Labels", 1, MaxLabelsPerVersion, 1, 100, required: true)!;
        var parameter = Require(region, name);
        var version = versionNumber is { } number
            ? parameter.Version(number) ?? throw new EmulatorException("ParameterVersionNotFound", $"Systems Manager could not find version {number} of {parameter.Name}. Verify the version and try again.")
            : parameter.Latest;
        var invalid = new JsonArray();
        var valid = new List<string>();
        foreach (var label in labels.Distinct(StringComparer.Ordinal))
        {
            if (ParameterNames.IsLabel(label))
            {
                valid.Add(label);
            }
            else
            {
                invalid.Add((JsonNode?)label);
            }
        }

        if (version.Labels.Union(valid, StringComparer.Ordinal).Count() > MaxLabelsPerVersion)
        {
            throw new EmulatorException("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.");
        }

        foreach (var label in valid)
        {
            foreach (var other in parameter.Versions)
            {
                if (!ReferenceEquals(other, version))
                {
                    other.Labels.Remove(label);
                }
            }

            if (!version.Labels.Contains(label, StringComparer.Ordinal))
            {
                version.Labels.Add(label);
            }
        }

        return new JsonObject { ["InvalidLabels"] = invalid, ["ParameterVersion"] = version.Version };
    }

    /// <summary>Removes labels from a version; labels the version does not have are listed as invalid.</summary>
    private JsonObject UnlabelParameterVersion(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, 2048).Trim();
        var number = input.Long("ParameterVersion", long.MinValue, long.MaxValue) ?? throw EmulatorException.Validation("Value null at 'parameterVersion' failed to satisfy constraint: Member must not be null");
        var labels = input.StringList("Labels", 1, MaxLabelsPerVersion, 1, 100, required: true)!;
        var parameter = Require(region, name);
        var version = parameter.Version(number)
            ?? throw new EmulatorException("ParameterVersionNotFound", $"Systems Manager could not find version {number} of {parameter.Name}. Verify the version and try again.");
        var removed = new JsonArray();
        var invalid = new JsonArray();
        foreach (var label in labels.Distinct(StringComparer.Ordinal))
        {
            if (version.Labels.Remove(label))
            {
                removed.Add((JsonNode?)label);
            }
            else
            {
                invalid.Add((JsonNode?)label);
            }
        }

        return new JsonObject { ["RemovedLabels"] = removed, ["InvalidLabels"] = invalid };
    }
}
