using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals.ParameterStore;

internal sealed partial class ParameterOperations
{
    private static readonly string[] DescribeFilterKeys = ["Name", "Type", "KeyId", "Path", "Tier", "DataType"];
    private static readonly string[] ByPathFilterKeys = ["Type", "KeyId", "Label"];
    private static readonly string[] LegacyFilterKeys = ["Name", "Type", "KeyId"];

    private JsonObject DescribeParameters(string region, RequestInput input)
    {
        var legacy = input.Array("Filters", 0, int.MaxValue);
        var filters = ReadFilters(input, "ParameterFilters", DescribeFilterKeys);
        var maxResults = (int)(input.Long("MaxResults", 1, 50) ?? 50);
        var token = input.String("NextToken", 0, int.MaxValue);
        _ = input.Bool("Shared");
        if (legacy is not null && input.Has("ParameterFilters"))
        {
            throw ParameterOperations.Invalid("You can use either Filters or ParameterFilters in a single request.");
        }

        foreach (var item in RequestInput.Structures(legacy, "Filters", "ParametersFilter", ["Key", "Values"]))
        {
            var key = item.Enum("Key", LegacyFilterKeys) ?? throw EmulatorException.Validation("Value null at 'filters.1.member.key' failed to satisfy constraint: Member must not be null");
            var values = item.StringList("Values", 1, 50, 1, 1024, required: true)!;
            filters.Add(new Filter(key, key == "Name" ? "BeginsWith" : "Equals", values));
        }

        var matching = Region(region).Values
            .Where(p => filters.All(f => Matches(f, p, p.Latest)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var (page, next) = Page(matching, token, maxResults);
        var list = new JsonArray();
        foreach (var parameter in page)
        {
            var version = parameter.Latest;
            var entry = new JsonObject
            {
                ["Name"] = parameter.Name,
                ["ARN"] = parameter.Arn,
                ["Type"] = version.Type,
            };
            if (version.KeyId is not null)
            {
                entry["KeyId"] = version.KeyId;
            }

            entry["LastModifiedDate"] = Epoch(version.LastModifiedDate);
            entry["LastModifiedUser"] = version.LastModifiedUser;
            if (version.Description is not null)
            {
                entry["Description"] = version.Description;
            }

            if (version.AllowedPattern is not null)
            {
                entry["AllowedPattern"] = version.AllowedPattern;
            }

            entry["Version"] = version.Version;
            entry["Tier"] = version.Tier;
            entry["Policies"] = Policies(version);
            entry["DataType"] = version.DataType;
            list.Add((JsonNode)entry);
        }

        var answer = new JsonObject { ["Parameters"] = list };
        if (next is not null)
        {
            answer["NextToken"] = next;
        }

        return answer;
    }

    /// <summary>The <c>ParameterStringFilter</c> list of <paramref name="member"/>, each checked against the keys the operation takes.</summary>
    private static List<Filter> ReadFilters(RequestInput input, string member, string[] keys)
    {
        var filters = new List<Filter>();
        foreach (var item in RequestInput.Structures(input.Array(member, 0, int.MaxValue), member, "ParameterStringFilter", ["Key", "Option", "Values"]))
        {
            var key = item.Required("Key", 1, 132);
            var option = item.String("Option", 1, 10);
            var values = item.StringList("Values", 1, 50, 1, 1024);
            var isTag = key.StartsWith("tag:", StringComparison.Ordinal) && key.Length > 4;
            if (!isTag && !keys.Contains(key, StringComparer.Ordinal))
            {
                throw new EmulatorException("InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [{string.Join(", ", keys)}].");
            }

            if (isTag && !keys.Contains("Name", StringComparer.Ordinal))
            {
                throw new EmulatorException("InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [{string.Join(", ", keys)}].");
            }

            var allowed = key switch
            {
                "Name" => new[] { "Equals", "BeginsWith", "Contains" },
                "Path" => ["OneLevel", "Recursive"],
                _ => ["Equals"],
            };
            option ??= key == "Path" ? "OneLevel" : "Equals";
            if (!allowed.Contains(option, StringComparer.Ordinal))
            {
                throw new EmulatorException("InvalidFilterOption", $"The following filter option is not valid: {option}. Valid options include: [{string.Join(", ", allowed)}].");
            }

            if ((values is null || values.Count == 0) && !isTag)
            {
                throw new EmulatorException("InvalidFilterValue", $"The following filter values are missing: null associated with the following filter key: {key}.");
            }

            if (key == "Path" && values!.Any(v => !ParameterNames.IsPath(v)))
            {
                throw new EmulatorException("InvalidFilterValue", $"The following filter value is not valid: {values!.First(v => !ParameterNames.IsPath(v))}. Valid values include paths that begin with a forward slash (/).");
            }

            filters.Add(new Filter(key, option, values ?? []));
        }

        return filters;
    }

    private static bool Matches(Filter filter, ParameterRecord parameter, ParameterVersionRecord version)
    {
        if (filter.Key.StartsWith("tag:", StringComparison.Ordinal))
        {
            var tagKey = filter.Key[4..];
            return parameter.Tags.Any(t => t.Key == tagKey && (filter.Values.Count == 0 || filter.Values.Contains(t.Value, StringComparer.Ordinal)));
        }

        return filter.Key switch
        {
            "Name" => filter.Values.Any(v => filter.Option switch
            {
                "BeginsWith" => parameter.Name.StartsWith(v, StringComparison.Ordinal),
                "Contains" => parameter.Name.Contains(v, StringComparison.Ordinal),
                _ => parameter.Name == v || parameter.Name == "/" + v.TrimStart('/') && v.StartsWith('/'),
            }),
            "Type" => filter.Values.Contains(version.Type, StringComparer.Ordinal),
            "KeyId" => version.KeyId is not null && filter.Values.Contains(version.KeyId, StringComparer.Ordinal),
            "Tier" => filter.Values.Contains(version.Tier, StringComparer.Ordinal),
            "DataType" => filter.Values.Contains(version.DataType, StringComparer.Ordinal),
            "Path" => filter.Values.Any(v => v == "/" ? filter.Option == "Recursive" || !parameter.Name.TrimStart('/').Contains('/', StringComparison.Ordinal) : InPath(parameter.Name, v, filter.Option == "Recursive")),
            _ => true,
        };
    }

    private readonly record struct Filter(string Key, string Option, IReadOnlyList<string> Values);
}
