using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals.ParameterStore;

internal sealed partial class ParameterOperations
{
    private const int MaxPageSize = 10;

    private JsonObject GetParameter(string region, RequestInput input)
    {
        var text = input.Required("Name", 1, 2048).Trim();
        var decrypt = input.Bool("WithDecryption") ?? false;
        return new JsonObject { ["Parameter"] = Read(region, text, decrypt) };
    }

    private JsonObject GetParameters(string region, RequestInput input)
    {
        var names = input.StringList("Names", 1, 10, 1, 2048, required: true)!;
        var decrypt = input.Bool("WithDecryption") ?? false;
        var found = new List<(string Name, JsonObject Parameter)>();
        var invalid = new JsonArray();
        foreach (var text in names.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var parameter = Read(region, text.Trim(), decrypt);
                found.Add((parameter["Name"]!.GetValue<string>(), parameter));
            }
            catch (EmulatorException ex) when (ex.Type is "ParameterNotFound" or "ParameterVersionNotFound" or "ValidationException")
            {
                invalid.Add((JsonNode?)text);
            }
        }

        // The service lists the parameters in alphabetical order of their names.
        var parameters = new JsonArray();
        foreach (var (_, parameter) in found.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            parameters.Add((JsonNode)parameter);
        }

        return new JsonObject { ["Parameters"] = parameters, ["InvalidParameters"] = invalid };
    }

    private JsonObject GetParametersByPath(string region, RequestInput input)
    {
        var path = input.Required("Path", 1, 2048).Trim();
        var recursive = input.Bool("Recursive") ?? false;
        var decrypt = input.Bool("WithDecryption") ?? false;
        var maxResults = (int)(input.Long("MaxResults", 1, MaxPageSize) ?? MaxPageSize);
        var token = input.String("NextToken", 0, int.MaxValue);
        var filters = ReadFilters(input, "ParameterFilters", ByPathFilterKeys);
        if (!ParameterNames.IsPath(path))
        {
            throw ParameterOperations.Invalid("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.");
        }

        var label = filters.FirstOrDefault(f => f.Key == "Label");
        var matching = Region(region).Values
            .Where(p => InPath(p.Name, path, recursive))
            .Select(p => (Parameter: p, Version: label.Key is null ? p.Latest : label.Values.Select(p.Labelled).FirstOrDefault(v => v is not null)))
            .Where(m => m.Version is not null && filters.Where(f => f.Key != "Label").All(f => Matches(f, m.Parameter, m.Version)))
            .OrderBy(m => m.Parameter.Name, StringComparer.Ordinal)
            .ToList();
        var (page, next) = Page(matching, token, maxResults);
        var parameters = new JsonArray();
        foreach (var (parameter, version) in page)
        {
            parameters.Add((JsonNode)Describe(region, parameter, version!, decrypt, selector: null));
        }

        var answer = new JsonObject { ["Parameters"] = parameters };
        if (next is not null)
        {
            answer["NextToken"] = next;
        }

        return answer;
    }

    private JsonObject GetParameterHistory(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, 2048).Trim();
        var decrypt = input.Bool("WithDecryption") ?? false;
        var maxResults = (int)(input.Long("MaxResults", 1, 50) ?? 50);
        var token = input.String("NextToken", 0, int.MaxValue);
        var parameter = Require(region, name);
        var (page, next) = Page(parameter.Versions, token, maxResults);
        var history = new JsonArray();
        foreach (var version in page)
        {
            var entry = new JsonObject
            {
                ["Name"] = parameter.Name,
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

            entry["Value"] = ValueOf(parameter, version, decrypt);
            if (version.AllowedPattern is not null)
            {
                entry["AllowedPattern"] = version.AllowedPattern;
            }

            entry["Version"] = version.Version;
            entry["Labels"] = new JsonArray([.. version.Labels.Select(l => (JsonNode?)l)]);
            entry["Tier"] = version.Tier;
            entry["Policies"] = Policies(version);
            entry["DataType"] = version.DataType;
            history.Add((JsonNode)entry);
        }

        var answer = new JsonObject { ["Parameters"] = history };
        if (next is not null)
        {
            answer["NextToken"] = next;
        }

        return answer;
    }

    /// <summary>One read by name or ARN with an optional selector, as GetParameter answers it.</summary>
    private JsonObject Read(string region, string text, bool decrypt)
    {
        if (text.StartsWith(ParameterNames.SecretsManagerReference, StringComparison.Ordinal))
        {
            return ReadSecret(region, text, decrypt);
        }

        var (name, selector) = ParameterNames.Split(text);
        var parameter = Find(region, name) ?? throw ParameterNotFound();
        ParameterVersionRecord version;
        if (selector is null)
        {
            version = parameter.Latest;
        }
        else if (selector.Length > 0 && selector.All(char.IsAsciiDigit))
        {
            version = long.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? parameter.Version(number)
                ?? throw new EmulatorException("ParameterVersionNotFound", $"Systems Manager could not find version {selector} of {parameter.Name}. Verify the version and try again.")
                : throw new EmulatorException("ParameterVersionNotFound", $"Systems Manager could not find version {selector} of {parameter.Name}. Verify the version and try again.");
        }
        else
        {
            version = parameter.Labelled(selector)
                ?? throw new EmulatorException("ParameterVersionNotFound", $"Systems Manager could not find label {selector} of {parameter.Name}. Verify the label and try again.");
        }

        return Describe(region, parameter, version, decrypt, selector is null ? null : ":" + selector);
    }

    /// <summary><c>/aws/reference/secretsmanager/NAME[:VERSIONID|:STAGE]</c>: the secret's string as a SecureString parameter.</summary>
    private JsonObject ReadSecret(string region, string text, bool decrypt)
    {
        if (!decrypt)
        {
            throw ParameterOperations.Invalid("WithDecryption flag must be True for retrieving a Secret Manager secret.");
        }

        var (name, selector) = ParameterNames.Split(text);
        var secretId = name[ParameterNames.SecretsManagerReference.Length..];
        var request = new JsonObject { ["SecretId"] = secretId };
        if (selector is not null)
        {
            request[selector.StartsWith("AWS", StringComparison.Ordinal) || !Guid.TryParse(selector, out _) ? "VersionStage" : "VersionId"] = selector;
        }

        JsonObject secret;
        try
        {
            secret = _secrets(region, request);
        }
        catch (EmulatorException ex) when (ex.Type is "ResourceNotFoundException")
        {
            throw ParameterNotFound($"Secret {secretId} not found.");
        }

        if (secret["SecretString"] is not JsonValue value)
        {
            throw ParameterOperations.Invalid("Parameter Store can read only secrets with a string value; this secret holds binary data.");
        }

        var source = new JsonObject
        {
            ["ARN"] = secret["ARN"]?.DeepClone(),
            ["CreatedDate"] = secret["CreatedDate"]?.DeepClone(),
            ["Name"] = secret["Name"]?.DeepClone(),
            ["VersionId"] = secret["VersionId"]?.DeepClone(),
            ["VersionStages"] = secret["VersionStages"]?.DeepClone(),
        };
        var answer = new JsonObject
        {
            ["Name"] = name,
            ["Type"] = "SecureString",
            ["Value"] = value.GetValue<string>(),
            ["Version"] = 0,
        };
        if (selector is not null)
        {
            answer["Selector"] = ":" + selector;
        }

        answer["SourceResult"] = source.ToJsonString();
        answer["LastModifiedDate"] = secret["CreatedDate"]?.DeepClone();
        answer["ARN"] = secret["ARN"]?.DeepClone();
        answer["DataType"] = "text";
        return answer;
    }

    /// <summary>A version as the service's <c>Parameter</c> shape, members in the service's order.</summary>
    private static JsonObject Describe(string region, ParameterRecord parameter, ParameterVersionRecord version, bool decrypt, string? selector)
    {
        _ = region;
        var answer = new JsonObject
        {
            ["Name"] = parameter.Name,
            ["Type"] = version.Type,
            ["Value"] = ValueOf(parameter, version, decrypt),
            ["Version"] = version.Version,
        };
        if (selector is not null)
        {
            answer["Selector"] = selector;
        }

        answer["LastModifiedDate"] = Epoch(version.LastModifiedDate);
        answer["ARN"] = parameter.Arn;
        answer["DataType"] = version.DataType;
        return answer;
    }

    private static string ValueOf(ParameterRecord parameter, ParameterVersionRecord version, bool decrypt) =>
        version.Type == "SecureString" && !decrypt
            ? ParameterCipher.Encrypt(version.KeyId ?? ParameterCipher.DefaultKeyId, parameter.Name, version.Version, version.Value)
            : version.Value;

    private static JsonArray Policies(ParameterVersionRecord version)
    {
        var policies = new JsonArray();
        if (version.Policies is null)
        {
            return policies;
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(version.Policies);
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = null;
        }

        foreach (var policy in parsed as JsonArray ?? [parsed])
        {
            if (policy is JsonObject item)
            {
                policies.Add((JsonNode)new JsonObject
                {
                    ["PolicyText"] = item.ToJsonString(),
                    ["PolicyType"] = item["Type"]?.DeepClone(),
                    ["PolicyStatus"] = "Pending",
                });
            }
        }

        return policies;
    }

    /// <summary>True when <paramref name="name"/> is under <paramref name="path"/>: a direct child, or any level when recursive.</summary>
    private static bool InPath(string name, string path, bool recursive)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            return false;
        }

        return recursive || name.IndexOf('/', prefix.Length) < 0;
    }

    /// <summary>One page of <paramref name="items"/> from an opaque token (the offset, base64), and the next page's token.</summary>
    private static (List<T> Page, string? Next) Page<T>(IReadOnlyList<T> items, string? token, int size)
    {
        var start = 0;
        if (!string.IsNullOrEmpty(token))
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                if (!text.StartsWith("ssm-page:", StringComparison.Ordinal) || !int.TryParse(text.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out start))
                {
                    throw new FormatException();
                }
            }
            catch (FormatException)
            {
                throw new EmulatorException("InvalidNextToken", "The specified token isn't valid.");
            }
        }

        var page = items.Skip(start).Take(size).ToList();
        var end = start + page.Count;
        return (page, end < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"ssm-page:{end}")) : null);
    }

    private static double Epoch(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);
}
