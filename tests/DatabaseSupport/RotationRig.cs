using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Secretary.Aws;
using Secretary.Testing;

namespace Secretary.Databases.Testing;

/// <summary>
/// A database server, the emulator process (<c>secretary emulator</c>) and the two sample rotation functions
/// (samples/RotationFunction/rds_rotation.py, served over HTTP) wired together: secrets in the RDS format are rotated
/// by <c>RotateSecret</c> against the real server.
/// </summary>
public sealed partial class RotationRig : IAsyncDisposable
{
    public const string SingleUser = "single-user";
    public const string AlternatingUsers = "alternating-users";

    private static int s_users;
    private readonly List<ServerProcess> _processes;

    private RotationRig(DatabaseServer server, ServerProcess emulator, List<ServerProcess> processes, Uri endpoint, string adminSecretArn)
    {
        Server = server;
        Emulator = emulator;
        _processes = processes;
        Endpoint = endpoint;
        Client = new SecretsManagerClient(endpoint);
        AdminSecretArn = adminSecretArn;
    }

    public DatabaseServer Server { get; }

    public ServerProcess Emulator { get; }

    public Uri Endpoint { get; }

    public SecretsManagerClient Client { get; }

    /// <summary>The administrator's secret, the <c>masterarn</c> of alternating-users secrets.</summary>
    public string AdminSecretArn { get; }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex FunctionReady();

    [GeneratedRegex("Secrets Manager emulator listening on")]
    private static partial Regex EmulatorReady();

    public static async Task<RotationRig> StartAsync(DatabaseServer server)
    {
        var processes = new List<ServerProcess>();
        try
        {
            var port = ServiceAccount.FreePort();
            var endpoint = new Uri($"http://127.0.0.1:{ServiceAccount.Text(port)}/");
            var python = await PythonAsync();
            var script = Path.Combine(RepoRoot.Path, "samples", "RotationFunction", "rds_rotation.py");
            var environment = new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = "test",
                ["AWS_SECRET_ACCESS_KEY"] = "test",
                ["AWS_DEFAULT_REGION"] = SecretsManagerClient.Region,
                ["AWS_REGION"] = SecretsManagerClient.Region,
                ["AWS_PROFILE"] = null,
                ["AWS_SESSION_TOKEN"] = null,
            };
            var functions = new List<string>();
            foreach (var strategy in new[] { SingleUser, AlternatingUsers })
            {
                var (function, ready) = await ServerProcess.StartAsync(python, ["-u", script, "--serve", "0", "--strategy", strategy, "--endpoint", endpoint.ToString().TrimEnd('/')], FunctionReady(), environment, TimeSpan.FromSeconds(60));
                processes.Add(function);
                functions.AddRange(["--rotation-function", $"{strategy}={ready.Groups[1].Value}"]);
            }

            var (emulator, _) = await ServerProcess.StartCliAsync(["emulator", "--port", ServiceAccount.Text(port), .. functions], EmulatorReady());
            processes.Add(emulator);
            using var client = new SecretsManagerClient(endpoint);
            var adminArn = await client.CreateSecretAsync("db/" + server.Engine + "/admin", server.SecretJson(DatabaseServer.AdminUser, server.AdminPassword));
            return new RotationRig(server, emulator, processes, endpoint, adminArn);
        }
        catch
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A new database user and its secret (alternating users: with <c>masterarn</c>); returns the secret's name and the user.</summary>
    public async Task<(string SecretId, string User, string Password)> CreateAppSecretAsync(string strategy, string? password = null)
    {
        var user = $"app{ServiceAccount.Text(Interlocked.Increment(ref s_users))}_{Environment.ProcessId}";
        password ??= DatabaseServer.NewPassword();
        await Server.CreateUserAsync(user, password);
        var secretId = $"db/{Server.Engine}/{user}";
        await Client.CreateSecretAsync(secretId, Server.SecretJson(user, password, strategy == AlternatingUsers ? AdminSecretArn : null));
        return (secretId, user, password);
    }

    /// <summary>Rotates through the function for <paramref name="strategy"/>; fails with the function's message when a step failed.</summary>
    public async Task<(string VersionId, JsonObject Value)> RotateAsync(string secretId, string strategy)
    {
        var version = await Client.RotateAsync(secretId, strategy);
        var current = await Client.GetAsync(secretId);
        if (current.VersionId != version)
        {
            using var http = new HttpClient();
            var rotations = await http.GetStringAsync(new Uri(Endpoint, "_emulator/rotations"));
            throw new InvalidOperationException($"The rotation of {secretId} did not finish: {rotations}");
        }

        return current;
    }

    /// <summary>A cache over the emulator (Secrets Manager through Secretary.Aws), with the given TTL.</summary>
    public (SecretCache Cache, IDisposable Store) NewCache(TimeSpan ttl, TimeSpan? minRefreshInterval = null, Microsoft.Extensions.Logging.ILogger<SecretCache>? logger = null)
    {
        var store = new AwsSecretsManagerStore(new AwsSecretsManagerStoreOptions
        {
            Region = SecretsManagerClient.Region,
            ServiceUrl = Endpoint.ToString(),
            Credentials = new BasicAWSCredentials("test", "test"),
            Timeout = TimeSpan.FromSeconds(10),
        });
        return (new SecretCache(store, new SecretCacheOptions { DefaultTtl = ttl, MinRefreshInterval = minRefreshInterval ?? TimeSpan.FromSeconds(1) }, logger: logger), store);
    }

    /// <summary>Installs an emulator fault document (the admin API), or clears the faults when null.</summary>
    public async Task SetFaultsAsync(string? faults)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(faults is null ? HttpMethod.Delete : HttpMethod.Post, new Uri(Endpoint, "_emulator/faults"))
        {
            Content = new StringContent(faults ?? string.Empty, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Secretary-Admin", "1");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>A python3 that has boto3, psycopg2 and PyMySQL (the one on PATH, else Debian's).</summary>
    private static async Task<string> PythonAsync()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                var check = await ProcessRunner.RunAsync(candidate, ["-c", "import boto3, psycopg2, pymysql"], timeout: TimeSpan.FromSeconds(60));
                if (check.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not there
            }
        }

        throw new InvalidOperationException("No python3 with boto3, psycopg2 and PyMySQL: run scripts/install-test-deps.sh (python3-boto3 python3-psycopg2 python3-pymysql).");
    }
}
