using System.Globalization;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace Secretary.Agent.Internals;

/// <summary>
/// Reads the TOML file of the AWS Secrets Manager Agent (and Secretary's own keys) into the options, with the AWS agent's
/// loose typing: keys in any case; numbers written as numbers or strings (<c>http_port = "65535"</c>); booleans as
/// <c>true</c>, or strings such as <c>"yes"</c>/<c>"off"</c>; list items of any scalar type. The TOML document model is
/// walked by hand (no reflection: Native AOT), and an unknown key is refused, as by the AWS agent.
/// </summary>
internal static class AgentTomlReader
{
    private delegate void Apply(SecretaryAgentOptions options, Value value);

    private static readonly Dictionary<string, Apply> Keys = new(StringComparer.Ordinal)
    {
        // The AWS agent's keys. A number that does not parse becomes -1, which validation refuses with the AWS message.
        ["log_level"] = (o, v) => o.LogLevel = v.Text(),
        ["log_to_file"] = (o, v) => o.LogToFile = v.Bool(),
        ["http_port"] = (o, v) => o.HttpPort = v.Number(max: ushort.MaxValue),
        ["ttl_seconds"] = (o, v) => o.TtlSeconds = v.Number(),
        ["cache_size"] = (o, v) => o.CacheSize = v.Number(),
        ["ssrf_headers"] = (o, v) => o.SsrfHeaders = v.List(),
        ["ssrf_env_variables"] = (o, v) => o.SsrfEnvVariables = v.List(),
        ["path_prefix"] = (o, v) => o.PathPrefix = v.Text(),
        ["max_conn"] = (o, v) => o.MaxConn = v.Number(),
        ["region"] = (o, v) => o.Region = v.Text(),
        ["ignore_transient_errors"] = (o, v) => o.IgnoreTransientErrors = v.Bool(),
        ["validate_credentials"] = (o, v) => o.ValidateCredentials = v.Bool(),
        ["credentials_file_path"] = (o, v) => o.CredentialsFilePath = v.Text(),

        // Secretary's keys.
        ["store"] = (o, v) => o.Store = v.Text(),
        ["fallback_regions"] = (o, v) => o.FallbackRegions = v.List(),
        ["endpoint_url"] = (o, v) => o.EndpointUrl = v.Text(),
        ["required_secrets"] = (o, v) => o.RequiredSecrets = v.List(),
        ["refresh_ahead"] = (o, v) => o.RefreshAhead = v.Fraction(),
        ["max_stale_seconds"] = (o, v) => o.MaxStaleSeconds = v.Number(int.MaxValue),
        ["store_timeout_seconds"] = (o, v) => o.StoreTimeoutSeconds = v.Number(int.MaxValue),
        ["max_open_connections"] = (o, v) => o.MaxOpenConnections = v.Number(int.MaxValue),
        ["metrics_without_token"] = (o, v) => o.MetricsWithoutToken = v.Bool(),
        ["token_file"] = (o, v) => o.TokenFile = v.Text(),
        ["bind_address"] = (o, v) => o.BindAddress = v.Text(),
        ["allow_remote"] = (o, v) => o.AllowRemote = v.Bool(),
        ["unix_socket"] = (o, v) => o.UnixSocket = v.Text(),
        ["redis"] = (o, v) => o.Redis = v.Text(),
    };

    /// <summary>Applies the file's keys to <paramref name="options"/>; every problem in one <see cref="AgentConfigurationException"/>.</summary>
    public static void Read(string text, string path, SecretaryAgentOptions options)
    {
        var document = SyntaxParser.Parse(text, path);
        if (document.HasErrors)
        {
            var first = document.Diagnostics.First(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error);
            throw new AgentConfigurationException(
                $"TOML parse error at line {first.Span.Start.Line + 1}, column {first.Span.Start.Column + 1}: {first.Message}");
        }

        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize(text, AgentTomlContext.Default.TomlTable) ?? [];
        }
        catch (TomlException ex)
        {
            throw new AgentConfigurationException($"TOML parse error: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        var problems = new List<string>();
        foreach (var (key, raw) in table)
        {
            // As the AWS agent's configuration library: keys are matched in lower case.
            var name = key.ToLowerInvariant();
            if (!Keys.TryGetValue(name, out var apply))
            {
                problems.Add($"unknown field `{key}`, expected one of {string.Join(", ", Keys.Keys.Select(k => $"`{k}`"))}");
                continue;
            }

            try
            {
                apply(options, new Value(name, raw, path));
            }
            catch (FormatException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new AgentConfigurationException(string.Join(" ", problems));
        }
    }

    /// <summary>One value, converted as the AWS agent's configuration library converts it.</summary>
    private readonly record struct Value(string Key, object? Raw, string Path)
    {
        public string Text() => Scalar(Raw) ?? throw Mismatch("a string");

        public bool Bool() => Raw switch
        {
            bool b => b,
            long l => l != 0,
            double d => d != 0,
            string s => s.ToLowerInvariant() switch
            {
                "1" or "true" or "on" or "yes" => true,
                "0" or "false" or "off" or "no" => false,
                _ => throw Mismatch("a boolean"),
            },
            _ => throw Mismatch("a boolean"),
        };

        /// <summary>An unsigned number as Rust parses one (digits, an optional <c>+</c>); -1 when it is not one or is above <paramref name="max"/>.</summary>
        public int Number(long max = uint.MaxValue)
        {
            var text = Scalar(Raw) ?? throw Mismatch("a string");
            var digits = text.StartsWith('+') ? text[1..] : text;
            return digits.Length > 0 && digits.All(char.IsAsciiDigit)
                && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max && value <= int.MaxValue
                ? (int)value
                : -1;
        }

        public double Fraction() => Raw switch
        {
            double d => d,
            long l => l,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Mismatch("a number"),
        };

        public List<string> List()
        {
            if (Raw is not TomlArray array)
            {
                throw Mismatch("an array");
            }

            var items = new List<string>(array.Count);
            foreach (var item in array)
            {
                items.Add(Scalar(item) ?? throw Mismatch("an array of strings"));
            }

            return items;
        }

        /// <summary>A scalar as text: strings as they are, numbers and booleans written out (Rust's way: 300.0 is "300").</summary>
        private static string? Scalar(object? raw) => raw switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            TomlDateTime t => t.ToString(),
            _ => null,
        };

        private FormatException Mismatch(string expected)
        {
            var found = Raw switch
            {
                string s => $"string \"{s}\"",
                long l => $"integer `{l}`",
                double d => $"floating point `{d.ToString("R", CultureInfo.InvariantCulture)}`",
                bool b => $"boolean `{(b ? "true" : "false")}`",
                TomlArray => "sequence",
                TomlTable or TomlTableArray => "map",
                _ => "value",
            };
            return new FormatException($"invalid type: {found}, expected {expected} for key `{Key}` in {Path}");
        }
    }
}

/// <summary>Source-generated TOML metadata for the document model (no reflection).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class AgentTomlContext : TomlSerializerContext
{
}
