using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Secretary.Cli.Commands;

/// <summary><c>secretary get &lt;id&gt; [--key K] [--json] [--version-stage S] [--version-id V] [--store SPEC | --agent URL]</c>.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The secret's name or ARN." };
        var key = new Option<string?>("--key") { Description = "Print only this key of a JSON secret." };
        var json = new Option<bool>("--json")
        {
            Description = "Print the secret with its metadata as one JSON object: name, arn, version_id, version_stages, created_date, the value, stale, age_seconds.",
        };
        var stage = new Option<string?>("--version-stage") { Description = "The staging label to read (default AWSCURRENT)." };
        var version = new Option<string?>("--version-id") { Description = "The version id to read." };
        var agent = CliOptions.Url("--agent", "Read through a running agent at this URL (e.g. http://127.0.0.1:2773) instead of a store.");
        var client = new AgentClientOptions();
        var store = new StoreOptions();
        var command = new Command("get", "Print a secret (the JSON or the string), or one key of it.") { id, key, json, stage, version, agent };
        client.AddTo(command);
        store.AddTo(command);

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            SecretLookup lookup;
            if (result.GetValue(agent) is { } url)
            {
                using var reader = client.Create(url, result);
                lookup = await reader.LookupAsync(new SecretRequest(result.GetValue(id)!, result.GetValue(version), result.GetValue(stage)), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var cache = new SecretCache(store.CreateStore(result));
                var options = new SecretReadOptions { VersionStage = result.GetValue(stage), VersionId = result.GetValue(version) };
                lookup = await cache.LookupAsync(result.GetValue(id)!, options, cancellationToken).ConfigureAwait(false);
            }

            var fromAgent = result.GetValue(agent) is not null;
            await Console.Out.WriteLineAsync(result.GetValue(json)
                ? Json(lookup, result.GetValue(key), ageKnown: !fromAgent || lookup.IsStale)
                : Render(lookup.Secret, result.GetValue(key))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static string Render(Secret secret, string? key) =>
        key is not null ? secret.GetValue(key) : secret.SecretString ?? Convert.ToBase64String(secret.SecretBinary!.Value.Span);

    /// <summary>
    /// The secret for scripts: its metadata, the value (<c>secret_string</c>, <c>secret_binary</c> in base64, or the key's
    /// <c>value</c> with <c>--key</c>), whether it was served stale and how old it is (null through an agent that did not say).
    /// </summary>
    private static string Json(SecretLookup lookup, string? key, bool ageKnown)
    {
        var secret = lookup.Secret;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", secret.Name);
            writer.WriteString("arn", secret.Arn);
            writer.WriteString("version_id", secret.VersionId);
            writer.WriteStartArray("version_stages");
            foreach (var label in secret.VersionStages)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            if (secret.CreatedDate is { } created)
            {
                writer.WriteString("created_date", created.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("created_date");
            }

            if (key is not null)
            {
                writer.WriteString("key", key);
                writer.WriteString("value", secret.GetValue(key));
            }
            else if (secret.SecretString is { } text)
            {
                writer.WriteString("secret_string", text);
            }
            else
            {
                writer.WriteBase64String("secret_binary", secret.SecretBinary!.Value.Span);
            }

            writer.WriteBoolean("stale", lookup.IsStale);
            if (ageKnown)
            {
                writer.WriteNumber("age_seconds", Math.Round(lookup.Age.TotalSeconds, 3));
            }
            else
            {
                writer.WriteNull("age_seconds");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
