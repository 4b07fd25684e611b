using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>
/// Parameter Store's operations (the <c>AmazonSSM.</c> targets) over the emulator's parameters, per region, behind one
/// lock: request validation, versions, labels, tiers, tags and the service's answers. Split by concern: writes and
/// deletions here, reads (<c>ParameterOperations.Reads.cs</c>), listing and filters (<c>ParameterOperations.Listing.cs</c>),
/// labels (<c>ParameterOperations.Labels.cs</c>), tags (<c>ParameterOperations.Tags.cs</c>).
/// </summary>
internal sealed partial class ParameterOperations
{
    public const string TargetPrefix = "AmazonSSM.";
    public const string ServiceName = "ssm";
    public const int StandardValueLimit = 4096;
    public const int AdvancedValueLimit = 8192;
    public const int MaxVersions = 100;
    public const int MaxLabelsPerVersion = 10;
    public const int MaxTags = 50;

    private static readonly string[] Types = ["String", "StringList", "SecureString"];
    private static readonly string[] Tiers = ["Standard", "Advanced", "Intelligent-Tiering"];

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["AddTagsToResource"] = new(["ResourceType", "ResourceId", "Tags"], (o, r, i) => o.AddTagsToResource(r, i)),
        ["DeleteParameter"] = new(["Name"], (o, r, i) => o.DeleteParameter(r, i)),
        ["DeleteParameters"] = new(["Names"], (o, r, i) => o.DeleteParameters(r, i)),
        ["DescribeParameters"] = new(["Filters", "ParameterFilters", "MaxResults", "NextToken", "Shared"], (o, r, i) => o.DescribeParameters(r, i)),
        ["GetParameter"] = new(["Name", "WithDecryption"], (o, r, i) => o.GetParameter(r, i)),
        ["GetParameterHistory"] = new(["Name", "WithDecryption", "MaxResults", "NextToken"], (o, r, i) => o.GetParameterHistory(r, i)),
        ["GetParameters"] = new(["Names", "WithDecryption"], (o, r, i) => o.GetParameters(r, i)),
        ["GetParametersByPath"] = new(["Path", "Recursive", "ParameterFilters", "WithDecryption", "MaxResults", "NextToken"], (o, r, i) => o.GetParametersByPath(r, i)),
        ["LabelParameterVersion"] = new(["Name", "ParameterVersion", "Labels"], (o, r, i) => o.LabelParameterVersion(r, i)),
        ["ListTagsForResource"] = new(["ResourceType", "ResourceId"], (o, r, i) => o.ListTagsForResource(r, i)),
        ["PutParameter"] = new(["Name", "Description", "Value", "Type", "KeyId", "Overwrite", "AllowedPattern", "Tags", "Tier", "Policies", "DataType"], (o, r, i) => o.PutParameter(r, i)),
        ["RemoveTagsFromResource"] = new(["ResourceType", "ResourceId", "TagKeys"], (o, r, i) => o.RemoveTagsFromResource(r, i)),
        ["UnlabelParameterVersion"] = new(["Name", "ParameterVersion", "Labels"], (o, r, i) => o.UnlabelParameterVersion(r, i)),
    };

    private readonly Dictionary<string, Dictionary<string, ParameterRecord>> _regions = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly string _accountId;
    private readonly TimeProvider _time;
    private readonly Func<string, JsonObject, JsonObject> _secrets;

    /// <param name="accountId">The account in ARNs.</param>
    /// <param name="time">The clock of LastModifiedDate.</param>
    /// <param name="secrets">Reads a secret for the Secrets Manager reference path: (region, GetSecretValue input) → its answer; throws <see cref="EmulatorException"/>.</param>
    public ParameterOperations(string accountId, TimeProvider time, Func<string, JsonObject, JsonObject> secrets)
    {
        _accountId = accountId;
        _time = time;
        _secrets = secrets;
    }

    /// <summary>Gets the names of the supported operations.</summary>
    public static IReadOnlyCollection<string> Names => Operations.Keys;

    public static bool IsKnown(string operation) => Operations.ContainsKey(operation);

    /// <summary>Gets the number of parameters in every region.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _regions.Values.Sum(r => r.Count);
            }
        }
    }

    /// <summary>Runs one operation for <paramref name="region"/>; throws <see cref="EmulatorException"/> for service errors.</summary>
    public JsonObject Invoke(string operation, string region, JsonObject body)
    {
        if (!Operations.TryGetValue(operation, out var definition))
        {
            throw new EmulatorException("UnknownOperationException", $"The operation {operation} is not supported.");
        }

        var input = new RequestInput(body, definition.Members);
        lock (_sync)
        {
            return definition.Run(this, region, input);
        }
    }

    /// <summary>Forgets every parameter.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _regions.Clear();
        }
    }

    private Dictionary<string, ParameterRecord> Region(string region)
    {
        if (!_regions.TryGetValue(region, out var parameters))
        {
            parameters = new Dictionary<string, ParameterRecord>(StringComparer.Ordinal);
            _regions[region] = parameters;
        }

        return parameters;
    }

    private ParameterRecord? Find(string region, string nameOrArn)
    {
        var parameters = Region(region);
        foreach (var candidate in ParameterNames.Candidates(nameOrArn, region, _accountId))
        {
            if (parameters.TryGetValue(candidate, out var parameter))
            {
                return parameter;
            }
        }

        return null;
    }

    private ParameterRecord Require(string region, string nameOrArn) =>
        Find(region, nameOrArn) ?? throw ParameterNotFound();

    /// <summary>A ValidationException with the service's own sentence (model constraint violations use <see cref="EmulatorException.Validation"/>).</summary>
    internal static EmulatorException Invalid(string message) => new("ValidationException", message);

    private static EmulatorException ParameterNotFound(string message = "") => new("ParameterNotFound", message);

    private string User => $"arn:aws:iam::{_accountId}:root";

    private JsonObject PutParameter(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, 2048).Trim();
        var value = input.String("Value", 0, int.MaxValue, required: true)!;
        var type = input.Enum("Type", Types);
        var description = input.String("Description", 0, 1024);
        var keyId = input.String("KeyId", 1, 256);
        var overwrite = input.Bool("Overwrite") ?? false;
        var allowedPattern = input.String("AllowedPattern", 0, 1024);
        var tags = ReadTags(input);
        var tier = input.Enum("Tier", Tiers);
        var policies = input.String("Policies", 1, 4096);
        var dataType = input.String("DataType", 0, 128);
        if (value.Length == 0)
        {
            throw EmulatorException.Validation("Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        ParameterNames.ValidateNew(name);
        var parameters = Region(region);
        parameters.TryGetValue(name, out var existing);
        if (existing is not null && !overwrite)
        {
            throw new EmulatorException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }

        if (existing is not null && tags is not null)
        {
            throw ParameterOperations.Invalid("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }

        var previous = existing?.Latest;
        type ??= previous?.Type ?? throw ParameterOperations.Invalid("A parameter type is required when you create a parameter.");
        if (keyId is not null && type != "SecureString")
        {
            throw ParameterOperations.Invalid("KeyId is required for SecureString type parameter only.");
        }

        dataType = string.IsNullOrEmpty(dataType) ? previous?.DataType ?? "text" : dataType;
        if (dataType is not ("text" or "aws:ec2:image" or "aws:ssm:integration"))
        {
            throw ParameterOperations.Invalid($"The following data type is not supported: {dataType} (Data type names are all lowercase.)");
        }

        if (dataType == "aws:ec2:image" && !System.Text.RegularExpressions.Regex.IsMatch(value, "^ami-[a-f0-9]{8,17}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant))
        {
            throw ParameterOperations.Invalid("Parameter value is not a valid AMI ID: an aws:ec2:image parameter holds an AMI ID such as ami-12345abcdeEXAMPLE.");
        }

        if (dataType != "text" && type != "String")
        {
            throw ParameterOperations.Invalid($"The {dataType} data type is supported for String parameters only.");
        }

        allowedPattern ??= existing is null ? null : previous!.AllowedPattern;
        if (allowedPattern is not null)
        {
            System.Text.RegularExpressions.Regex pattern;
            try
            {
                pattern = new System.Text.RegularExpressions.Regex(allowedPattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                throw new EmulatorException("InvalidAllowedPatternException", "The request does not meet the regular expression requirement.");
            }

            if (!pattern.IsMatch(value))
            {
                throw new EmulatorException("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {allowedPattern}");
            }
        }

        var bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        var resolvedTier = tier switch
        {
            "Advanced" => "Advanced",
            "Intelligent-Tiering" => bytes > StandardValueLimit || policies is not null || previous?.Tier == "Advanced" ? "Advanced" : "Standard",
            "Standard" => "Standard",
            _ => previous?.Tier ?? "Standard",
        };
        if (resolvedTier == "Standard" && previous?.Tier == "Advanced")
        {
            throw ParameterOperations.Invalid("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.");
        }

        if (resolvedTier == "Standard" && bytes > StandardValueLimit)
        {
            throw ParameterOperations.Invalid($"Standard tier parameters support a maximum parameter value of {StandardValueLimit} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html");
        }

        if (bytes > AdvancedValueLimit)
        {
            throw ParameterOperations.Invalid($"Advanced tier parameters support a maximum parameter value of {AdvancedValueLimit} characters.");
        }

        if (policies is not null && resolvedTier != "Advanced")
        {
            throw ParameterOperations.Invalid("Parameter policies are supported only for parameters in the advanced-parameter tier.");
        }

        var parameter = existing ?? new ParameterRecord(name, ParameterNames.Arn(region, _accountId, name));
        var version = (previous?.Version ?? 0) + 1;
        if (parameter.Versions.Count >= MaxVersions)
        {
            var oldest = parameter.Versions[0];
            if (oldest.Labels.Count > 0)
            {
                throw new EmulatorException("ParameterMaxVersionLimitExceeded", $"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {oldest.Version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");
            }

            parameter.Versions.RemoveAt(0);
        }

        parameter.Versions.Add(new ParameterVersionRecord
        {
            Version = version,
            Type = type,
            Value = value,
            DataType = dataType,
            Tier = resolvedTier,
            LastModifiedDate = _time.GetUtcNow(),
            LastModifiedUser = User,
            KeyId = type == "SecureString" ? keyId ?? (previous?.Type == "SecureString" ? previous.KeyId : null) ?? ParameterCipher.DefaultKeyId : null,
            Description = description ?? previous?.Description,
            AllowedPattern = allowedPattern,
            Policies = policies ?? previous?.Policies,
        });
        if (tags is not null)
        {
            if (tags.Count > MaxTags)
            {
                throw new EmulatorException("TooManyTagsError", "The Targets parameter includes too many tags. Remove one or more tags and try the command again.");
            }

            parameter.Tags.AddRange(tags);
        }

        parameters[name] = parameter;
        return new JsonObject { ["Version"] = version, ["Tier"] = resolvedTier };
    }

    private JsonObject DeleteParameter(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, 2048);
        var parameter = Require(region, name);
        Region(region).Remove(parameter.Name);
        return [];
    }

    private JsonObject DeleteParameters(string region, RequestInput input)
    {
        var names = input.StringList("Names", 1, 10, 1, 2048, required: true)!;
        var deleted = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (Find(region, name) is { } parameter)
            {
                Region(region).Remove(parameter.Name);
                deleted.Add((JsonNode?)name);
            }
            else
            {
                invalid.Add((JsonNode?)name);
            }
        }

        return new JsonObject { ["DeletedParameters"] = deleted, ["InvalidParameters"] = invalid };
    }

    private sealed record Operation(string[] Members, Func<ParameterOperations, string, RequestInput, JsonObject> Run);
}
