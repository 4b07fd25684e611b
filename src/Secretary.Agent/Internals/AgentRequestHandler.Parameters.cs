using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Secretary.Agent.Internals;

/// <summary>
/// The Lambda extension's Parameter Store route: <c>GET /systemsmanager/parameters/get?name=N</c> answers the
/// GetParameter JSON, <c>{"Parameter": {...}, "ResultMetadata": {}}</c>, read through the same cache as secrets (a
/// parameter is the id <c>ssm:NAME</c> of a composite store, or <c>NAME</c> when the store is Parameter Store alone).
/// </summary>
internal sealed partial class AgentRequestHandler
{
    private const string ParameterRoute = "/systemsmanager/parameters/get";

    // The store kind and the attribute keys of a parameter read by Secretary.ParameterStore (its ParameterAttributes).
    private const string ParameterStoreKind = "ssm";
    private const string TypeAttribute = "Type";
    private const string DataTypeAttribute = "DataType";
    private const string SelectorAttribute = "Selector";
    private const string SourceResultAttribute = "SourceResult";

    private static readonly ConditionalWeakTable<Secret, byte[]> ParameterBodies = [];

    /// <summary>How the store reads a parameter: <c>ssm:</c> before the name in a composite store, nothing when it is Parameter Store; null without one.</summary>
    private static string? ParameterPrefixOf(ISecretStore store) => store switch
    {
        _ when store.Kind == ParameterStoreKind => string.Empty,
        CompositeSecretStore composite when composite.Stores.Any(s => s.Kind == ParameterStoreKind) => ParameterStoreKind + ":",
        _ => null,
    };

    private async Task ParameterAsync(HttpContext context, string query)
    {
        var read = new ParameterQuery();
        if (read.Parse(query) is { } problem)
        {
            await TextAsync(context, 400, problem).ConfigureAwait(false);
            return;
        }

        if (_parameterPrefix is null)
        {
            await BytesAsync(context, 400, AgentErrors.Body("ValidationException", "This agent reads no Parameter Store: start it with --store aws,ssm (or ssm)."), JsonType).ConfigureAwait(false);
            return;
        }

        var id = _parameterPrefix + read.Selected;
        SecretLookup lookup;
        try
        {
            lookup = await _cache.LookupAsync(id, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (SecretaryException ex)
        {
            var (status, body) = AgentErrors.ForParameter(ex);
            await BytesAsync(context, status, body, JsonType).ConfigureAwait(false);
            return;
        }
        catch (ArgumentException)
        {
            await BytesAsync(context, 400, AgentErrors.Validation("The parameter name is not valid (1 to 2048 characters, no control characters)."), JsonType).ConfigureAwait(false);
            return;
        }

        _served.Add(id);
        if (lookup.IsStale)
        {
            context.Response.Headers["X-Secretary-Stale"] = "true";
            context.Response.Headers.Age = ((long)lookup.Age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await BytesAsync(context, 200, ParameterBodies.GetValue(lookup.Secret, static secret => SerializeParameter(secret)), JsonType).ConfigureAwait(false);
    }

    /// <summary>The GetParameter answer: the service's members in its model's order, absent optional ones null.</summary>
    internal static byte[] SerializeParameter(Secret secret)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Parameter");
            writer.WriteString("Name", secret.Name);
            writer.WriteString("Type", secret.Attributes.GetValueOrDefault(TypeAttribute, "String"));
            writer.WriteString("Value", secret.SecretString ?? string.Empty);
            writer.WriteNumber("Version", long.TryParse(secret.VersionId, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0);
            WriteOptional(writer, "Selector", secret.Attributes.GetValueOrDefault(SelectorAttribute));
            WriteOptional(writer, "SourceResult", secret.Attributes.GetValueOrDefault(SourceResultAttribute));
            WriteOptional(writer, "LastModifiedDate", secret.CreatedDate?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            WriteOptional(writer, "ARN", secret.Arn);
            writer.WriteString("DataType", secret.Attributes.GetValueOrDefault(DataTypeAttribute, "text"));
            writer.WriteEndObject();
            writer.WriteStartObject("ResultMetadata");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
