using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <summary>
/// Checks a resource policy as IAM policy JSON: its grammar (what <c>MalformedPolicyDocumentException</c> reports) and
/// whether it grants public access (an <c>Allow</c> to the principal <c>*</c> without a condition, which
/// <c>BlockPublicPolicy</c> refuses). No IAM evaluation beyond that.
/// </summary>
internal static class ResourcePolicyCheck
{
    public const string SyntaxMessage = "This resource policy contains a syntax error.";
    public const string PublicMessage = "This resource policy will grant public access to the secret. To prevent public access, remove the statement that grants access to all principals or add a condition.";
    public const string PublicCheckName = "PUBLIC_ACCESS_CHECK";

    private static readonly string[] TopLevel = ["Version", "Id", "Statement"];
    private static readonly string[] StatementMembers = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
    private static readonly string[] PrincipalKinds = ["AWS", "Service", "Federated", "CanonicalUser"];

    /// <summary>Returns the grammar problems of <paramref name="policy"/> (empty when it is a well-formed policy).</summary>
    public static List<string> SyntaxProblems(string policy)
    {
        var problems = new List<string>();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(policy, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            problems.Add("The policy is not valid JSON.");
            return problems;
        }

        if (root is not JsonObject document)
        {
            problems.Add("The policy must be a JSON object.");
            return problems;
        }

        problems.AddRange(document.Select(p => p.Key).Where(k => !TopLevel.Contains(k, StringComparer.Ordinal)).Select(k => $"Unknown policy element {k}."));
        if (document["Version"] is { } version && (version.GetValueKind() != JsonValueKind.String || version.GetValue<string>() is not ("2012-10-17" or "2008-10-17")))
        {
            problems.Add("Version must be 2012-10-17 or 2008-10-17.");
        }

        var statements = document["Statement"] switch
        {
            JsonObject one => [one],
            JsonArray many when many.Count > 0 && many.All(s => s is JsonObject) => many.Select(s => (JsonObject)s!).ToList(),
            _ => null,
        };
        if (statements is null)
        {
            problems.Add("Statement must be a statement object or a non-empty list of them.");
            return problems;
        }

        var index = 0;
        foreach (var statement in statements)
        {
            index++;
            var where = $"Statement {index}:";
            problems.AddRange(statement.Select(p => p.Key).Where(k => !StatementMembers.Contains(k, StringComparer.Ordinal)).Select(k => $"{where} unknown element {k}."));
            if (Text(statement["Effect"]) is not ("Allow" or "Deny"))
            {
                problems.Add($"{where} Effect must be Allow or Deny.");
            }

            if ((statement["Action"] is null) == (statement["NotAction"] is null) || !IsStrings(statement["Action"] ?? statement["NotAction"]))
            {
                problems.Add($"{where} exactly one of Action or NotAction is required, a string or a list of strings.");
            }

            if ((statement["Principal"] is null) == (statement["NotPrincipal"] is null) || !IsPrincipal(statement["Principal"] ?? statement["NotPrincipal"]))
            {
                problems.Add($"{where} a resource policy statement needs exactly one Principal or NotPrincipal (\"*\" or an object of AWS, Service, Federated, CanonicalUser).");
            }

            if ((statement["Resource"] ?? statement["NotResource"]) is { } resource && !IsStrings(resource))
            {
                problems.Add($"{where} Resource must be a string or a list of strings.");
            }

            if (statement["Condition"] is { } condition && condition is not JsonObject)
            {
                problems.Add($"{where} Condition must be an object.");
            }
        }

        return problems;
    }

    /// <summary>Whether a well-formed policy allows everyone (principal <c>*</c>) without a condition.</summary>
    public static bool GrantsPublicAccess(string policy)
    {
        var statements = JsonNode.Parse(policy)!["Statement"] switch
        {
            JsonObject one => [one],
            JsonArray many => many.OfType<JsonObject>().ToList(),
            _ => [],
        };
        return statements.Exists(s => Text(s["Effect"]) == "Allow" && s["Condition"] is null && IsEveryone(s["Principal"]));
    }

    private static bool IsEveryone(JsonNode? principal) => principal switch
    {
        JsonValue value => Text(value) == "*",
        JsonObject kinds => kinds.Any(k => k.Value is JsonValue v ? Text(v) == "*" : k.Value is JsonArray a && a.Any(n => Text(n) == "*")),
        _ => false,
    };

    private static bool IsPrincipal(JsonNode? principal) => principal switch
    {
        JsonValue value => Text(value) == "*",
        JsonObject kinds => kinds.Count > 0 && kinds.All(k => PrincipalKinds.Contains(k.Key, StringComparer.Ordinal) && IsStrings(k.Value)),
        _ => false,
    };

    private static bool IsStrings(JsonNode? node) => node switch
    {
        JsonValue value => Text(value) is { Length: > 0 },
        JsonArray array => array.Count > 0 && array.All(n => Text(n) is { Length: > 0 }),
        _ => false,
    };

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
