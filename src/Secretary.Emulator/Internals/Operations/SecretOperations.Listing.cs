using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Secretary.Emulator.Internals;

/// <content>Listing: ListSecrets, filters and pages.</content>
internal sealed partial class SecretOperations
{
    private static readonly string[] FilterKeys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

    private JsonObject ListSecrets(string region, RequestInput input)
    {
        var includeDeleted = input.Bool("IncludePlannedDeletion") ?? false;
        var maxResults = input.Long("MaxResults", 1, 100);
        var nextToken = input.String("NextToken", 1, 4096);
        var filters = input.Array("Filters", 0, 10);
        var sortOrder = input.String("SortOrder", 0, 16);
        if (sortOrder is not null and not "asc" and not "desc")
        {
            throw EmulatorException.Validation("Value at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]");
        }

        var predicate = filters is null ? (_ => true) : ParseFilters(filters);
        var matched = _store.All(region).Where(s => (includeDeleted || s.DeletedDate is null) && predicate(s));
        var ordered = sortOrder == "asc"
            ? matched.OrderBy(s => s.CreatedDate).ThenBy(s => s.Sequence)
            : matched.OrderByDescending(s => s.CreatedDate).ThenByDescending(s => s.Sequence);
        var (page, next) = Page(ordered.ToList(), (int)(maxResults ?? 100), nextToken, "ListSecrets");
        var list = new JsonArray();
        foreach (var secret in page)
        {
            list.Add(Describe(secret, "SecretVersionsToStages"));
        }

        var response = new JsonObject { ["SecretList"] = list };
        if (next is not null)
        {
            response["NextToken"] = next;
        }

        return response;
    }

    private static Func<SecretRecord, bool> ParseFilters(JsonArray filters)
    {
        var predicates = new List<Func<SecretRecord, bool>>();
        foreach (var item in filters)
        {
            if (item is not JsonObject filter)
            {
                throw EmulatorException.Serialization("Expected a list of Filter structures for member Filters.");
            }

            var filterInput = new RequestInput(filter, ["Key", "Values"]);
            var key = filterInput.String("Key", 0, 64);
            var values = filterInput.StringList("Values", 1, 10, 0, 512);
            if (key is null || values is null)
            {
                throw EmulatorException.InvalidParameter("Each filter needs a Key and at least one value in Values.");
            }

            if (!FilterKeys.Contains(key, StringComparer.Ordinal))
            {
                throw EmulatorException.Validation($"Value at 'filters.member.key' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", FilterKeys)}]");
            }

            if (values.Any(v => !FilterValuePattern().IsMatch(v)))
            {
                throw EmulatorException.Validation("Value at 'filters.member.values' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$");
            }

            var positive = values.Where(v => !v.StartsWith('!')).ToList();
            var negative = values.Where(v => v.StartsWith('!')).Select(v => v[1..]).ToList();
            predicates.Add(secret =>
                (positive.Count == 0 || positive.Exists(v => Matches(secret, key, v)))
                && !negative.Exists(v => Matches(secret, key, v)));
        }

        return secret => predicates.TrueForAll(p => p(secret));
    }

    private static bool Matches(SecretRecord secret, string key, string value)
    {
        static bool Prefix(string? text, string value, StringComparison comparison) => text is not null && text.StartsWith(value, comparison);
        const StringComparison Sensitive = StringComparison.Ordinal;
        const StringComparison Insensitive = StringComparison.OrdinalIgnoreCase;
        return key switch
        {
            "name" => Prefix(secret.Name, value, Sensitive),
            "description" => Prefix(secret.Description, value, Insensitive),
            "tag-key" => secret.Tags.Exists(t => Prefix(t.Key, value, Sensitive)),
            "tag-value" => secret.Tags.Exists(t => Prefix(t.Value, value, Sensitive)),
            "primary-region" => Prefix(secret.Region, value, Sensitive),
            "owning-service" => false,
            _ => value.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(word =>
                Prefix(secret.Name, word, Insensitive) || Prefix(secret.Description, word, Insensitive)
                || secret.Tags.Exists(t => Prefix(t.Key, word, Insensitive) || Prefix(t.Value, word, Insensitive))),
        };
    }

    private static (List<T> Page, string? NextToken) Page<T>(List<T> items, int size, string? token, string scope)
    {
        var offset = 0;
        if (token is not null)
        {
            offset = DecodeToken(token, scope);
            if (offset < 0 || offset > items.Count)
            {
                throw new EmulatorException("InvalidNextTokenException", "The NextToken value is invalid.");
            }
        }

        var page = items.Skip(offset).Take(size).ToList();
        var end = offset + page.Count;
        return (page, end < items.Count ? EncodeToken(end, scope) : null);
    }

    private static string EncodeToken(int offset, string scope) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{scope}:{offset}"));

    private static int DecodeToken(string token, string scope)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var separator = text.LastIndexOf(':');
            if (separator > 0 && text[..separator] == scope && int.TryParse(text[(separator + 1)..], out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw new EmulatorException("InvalidNextTokenException", "The NextToken value is invalid.");
    }

    [GeneratedRegex(@"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FilterValuePattern();
}
