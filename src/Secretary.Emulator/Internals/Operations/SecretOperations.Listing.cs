using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Secretary.Emulator.Internals;

/// <content>Listing: ListSecrets, filters and pages.</content>
internal sealed partial class SecretOperations
{
    private static readonly string[] FilterKeys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];
    private static readonly string[] SortOrders = ["asc", "desc"];
    private static readonly string[] SortKeys = ["created-date", "last-accessed-date", "last-changed-date", "name"];

    private JsonObject ListSecrets(string region, RequestInput input)
    {
        var includeDeleted = input.Bool("IncludePlannedDeletion") ?? false;
        var maxResults = input.Long("MaxResults", 1, 100);
        var nextToken = input.String("NextToken", 1, 4096);
        var filters = input.Array("Filters", 0, 10);
        var sortOrder = input.Enum("SortOrder", SortOrders) ?? "asc";
        var sortBy = input.Enum("SortBy", SortKeys) ?? "created-date";
        var predicate = filters is null ? (_ => true) : ParseFilters(filters);
        var matched = _store.All(region).Where(s => (includeDeleted || s.DeletedDate is null) && predicate(s)).ToList();
        var page = Page(Sorted(matched, sortBy, sortOrder == "desc"), (int)(maxResults ?? 100), nextToken, "ListSecrets");
        var list = new JsonArray();
        foreach (var secret in page.Items)
        {
            list.Add((JsonNode)Describe(secret, "SecretVersionsToStages"));
        }

        var response = new JsonObject { ["SecretList"] = list };
        if (page.NextToken is not null)
        {
            response["NextToken"] = page.NextToken;
        }

        return response;
    }

    /// <summary>Orders by the chosen key (a secret never read sorts before any read one), ties in creation order.</summary>
    private static List<SecretRecord> Sorted(List<SecretRecord> secrets, string sortBy, bool descending)
    {
        Comparison<SecretRecord> byKey = sortBy switch
        {
            "name" => (a, b) => string.CompareOrdinal(a.Name, b.Name),
            "last-accessed-date" => (a, b) => Nullable.Compare(a.LastAccessedDate, b.LastAccessedDate),
            "last-changed-date" => (a, b) => a.LastChangedDate.CompareTo(b.LastChangedDate),
            _ => (a, b) => a.CreatedDate.CompareTo(b.CreatedDate),
        };
        var sorted = new List<SecretRecord>(secrets);
        sorted.Sort((a, b) =>
        {
            var order = byKey(a, b);
            order = order != 0 ? order : a.Sequence.CompareTo(b.Sequence);
            return descending ? -order : order;
        });
        return sorted;
    }

    /// <summary>
    /// Filters as the service applies them: filters are ANDed (two with the same key too), the values of one filter are
    /// ORed, a value starting with <c>!</c> excludes what it matches. See <see cref="FilterMatch"/> for one value.
    /// </summary>
    private static Func<SecretRecord, bool> ParseFilters(JsonArray filters)
    {
        var predicates = new List<Func<SecretRecord, bool>>();
        foreach (var filterInput in RequestInput.Structures(filters, "Filters", "Filter", ["Key", "Values"]))
        {
            var key = filterInput.Enum("Key", FilterKeys);
            var values = filterInput.StringList("Values", 1, 10, 0, 512);
            if (key is null || values is null)
            {
                throw EmulatorException.InvalidParameter("Each filter needs a Key and at least one value in Values.");
            }

            if (values.Find(v => !FilterValuePattern().IsMatch(v)) is { } bad)
            {
                throw EmulatorException.Validation(RequestInput.Constraint(
                    filterInput.Where("Values"), bad, "Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$"));
            }

            var positive = values.Where(v => !v.StartsWith('!')).ToList();
            var negative = values.Where(v => v.StartsWith('!')).Select(v => v[1..]).ToList();
            predicates.Add(secret =>
                (positive.Count == 0 || positive.Exists(v => FilterMatch.Matches(secret, key, v)))
                && !negative.Exists(v => FilterMatch.Matches(secret, key, v)));
        }

        return secret => predicates.TrueForAll(p => p(secret));
    }

    private static (List<T> Items, string? NextToken) Page<T>(List<T> items, int size, string? token, string scope)
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
