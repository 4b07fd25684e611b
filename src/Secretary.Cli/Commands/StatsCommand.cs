using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Secretary.Cli.Commands;

/// <summary><c>secretary stats [--agent URL]</c>: a running agent's stats document as a readable table.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var agent = CliOptions.AgentUrl();
        var json = new Option<bool>("--json") { Description = "Print the document as JSON instead of a table." };
        var client = new AgentClientOptions();
        var command = new Command("stats", "Print a running agent's cache statistics.") { agent, json };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var reader = client.Create(result.GetValue(agent)!, result);
            using var stats = JsonDocument.Parse(await reader.GetAgentStatsAsync(cancellationToken).ConfigureAwait(false));
            await Console.Out.WriteLineAsync(result.GetValue(json) ? stats.RootElement.GetRawText() : Table(stats.RootElement)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    internal static string Table(JsonElement stats)
    {
        var rows = new List<(string Name, string Value)>();
        Flatten(stats, string.Empty, rows);
        var width = rows.Max(r => r.Name.Length);
        return string.Join(Environment.NewLine, rows.Select(r => $"{r.Name.PadRight(width)}  {r.Value}"));
    }

    private static void Flatten(JsonElement element, string prefix, List<(string, string)> rows)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = prefix + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(property.Value, name + ".", rows);
                    break;
                case JsonValueKind.Number:
                    rows.Add((name, property.Value.GetDouble().ToString("#,0.#####", CultureInfo.InvariantCulture)));
                    break;
                default:
                    rows.Add((name, property.Value.ToString()));
                    break;
            }
        }
    }
}
