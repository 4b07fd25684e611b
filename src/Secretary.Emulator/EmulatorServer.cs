using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.Emulator.Internals;
using Secretary.Emulator.Internals.ParameterStore;

namespace Secretary.Emulator;

/// <summary>
/// A local, AWS Secrets Manager-compatible API (awsJson1_1 over HTTP on loopback) with SigV4 verification,
/// versions and staging labels, persistence, request counts and fault injection; Parameter Store on the same port. Start one with <see cref="StartAsync"/>.
/// </summary>
public sealed partial class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorOptions _options;
    private readonly SecretOperations _operations;
    private readonly ParameterOperations _parameters;
    private readonly RequestCounter _counter;
    private readonly FaultInjector _faults;
    private readonly SecretStore _store;
    private readonly CancellationTokenSource _stopping;
    private readonly ILogger _logger;
    private ProtocolHandler _handler = null!;
    private HttpClient _rotationHttp = null!;
    private RotationScheduler? _scheduler;
    private int _stopped;

    private EmulatorServer(
        WebApplication app,
        EmulatorOptions options,
        SecretStore store,
        SecretOperations operations,
        ParameterOperations parameters,
        RequestCounter counter,
        FaultInjector faults,
        CancellationTokenSource stopping,
        ILogger logger)
    {
        _app = app;
        _options = options;
        _store = store;
        _operations = operations;
        _parameters = parameters;
        _counter = counter;
        _faults = faults;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>Gets the base address clients use as their endpoint URL, for example <c>http://127.0.0.1:4566/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets the bound port (the chosen one when <see cref="EmulatorOptions.Port"/> was 0).</summary>
    public int Port { get; private set; }

    /// <summary>Gets the region used by the in-process helpers when none is given.</summary>
    public string DefaultRegion => _options.DefaultRegion;

    /// <summary>Starts an emulator: loads <see cref="EmulatorOptions.DataFile"/>, applies <see cref="EmulatorOptions.SeedFile"/>, binds the port.</summary>
    /// <param name="options">The settings; copied, so later changes have no effect.</param>
    /// <param name="loggerFactory">Where the emulator logs (operation names and outcomes, never values); none by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it (or call <see cref="StopAsync"/>) to stop it.</returns>
    /// <exception cref="ArgumentException">An option is invalid (every problem is listed).</exception>
    /// <exception cref="InvalidDataException">The data or seed file cannot be read.</exception>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Duplicate();
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Secretary.Emulator");

        var store = new SecretStore(options.AccountId, options.TimeProvider, options.DataFile);
        var loaded = store.Load();
        Uri? endpoint = null;
        var rotationHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var functions = options.RotationFunctions.Select(f => f.Value.StartsWith(RotationFunctionTarget.CommandPrefix, StringComparison.Ordinal)
            ? (RotationFunction)new CommandRotationFunction(f.Key, f.Value[RotationFunctionTarget.CommandPrefix.Length..], () => endpoint!, options.AccessKey, options.SecretKey)
            : new HttpRotationFunction(f.Key, new Uri(f.Value), rotationHttp));
        var operations = new SecretOperations(store, functions, options.RotationStepTimeout, logger);
        var seeded = 0;
        if (options.SeedFile is not null)
        {
            foreach (var (name, value) in SeedLoader.Read(options.SeedFile))
            {
                bool exists;
                lock (store.Sync)
                {
                    exists = store.Region(options.DefaultRegion).ContainsKey(name);
                }

                if (!exists)
                {
                    operations.Invoke("CreateSecret", options.DefaultRegion, new JsonObject { ["Name"] = name, ["SecretString"] = value });
                    seeded++;
                }
            }
        }

        var parameters = new ParameterOperations(options.AccountId, options.TimeProvider, (region, input) => operations.Invoke("GetSecretValue", region, input));
        if (options.ParameterSeedFile is not null)
        {
            foreach (var input in ParameterSeedLoader.Read(options.ParameterSeedFile))
            {
                try
                {
                    parameters.Invoke("PutParameter", options.DefaultRegion, input);
                }
                catch (EmulatorException ex)
                {
                    throw new InvalidDataException($"The parameter seed file '{options.ParameterSeedFile}' has a parameter PutParameter refuses ({ex.Type}: {ex.Message}).", ex);
                }
            }
        }

        var counter = new RequestCounter();
        var faults = new FaultInjector();
        var stopping = new CancellationTokenSource();
        var verifier = new SigV4Verifier(options.AccessKey, options.SecretKey, options.TimeProvider, options.MaxClockSkew);
        var gate = new FaultGate(faults, counter, options.TimeProvider, stopping.Token, logger);
        var sts = new StsEndpoint(verifier, counter, gate, options.AccountId, logger);
        var handler = new ProtocolHandler(operations, parameters, verifier, counter, gate, sts, logger);
        var admin = new AdminApi(counter, faults, store, operations, parameters);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = EmulatorConstants.MaxRequestBodyBytes * 4L;
            var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host.Trim('[', ']'));
            kestrel.Listen(address, options.Port);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            if (!await LoopbackGuard.AdmitsAsync(context).ConfigureAwait(false))
            {
                return;
            }

            await (AdminApi.Handles(context) ? admin.HandleAsync(context) : handler.HandleAsync(context)).ConfigureAwait(false);
        });

        var server = new EmulatorServer(app, options, store, operations, parameters, counter, faults, stopping, logger) { _handler = handler, _rotationHttp = rotationHttp };
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(bound).Port;
        var host = address(options.Host);
        server.Endpoint = new Uri($"http://{host}:{server.Port}/");
        endpoint = server.Endpoint;
        server._scheduler = new RotationScheduler(operations, options.TimeProvider, logger);
        Log.Started(logger, server.Endpoint, loaded, seeded, options.DataFile is not null);
        return server;

        static string address(string host) => host switch
        {
            "::1" or "[::1]" => "[::1]",
            "localhost" => "127.0.0.1",
            _ => host,
        };
    }

    /// <summary>Gets the number of protocol calls being handled right now.</summary>
    internal int InFlight => _handler.InFlight;

    /// <summary>Gets a copy of the faults in force (as <c>GET /_emulator/faults</c>).</summary>
    internal EmulatorFaults CurrentFaults => _faults.Current;

    /// <summary>Returns a snapshot of the calls received so far (the same numbers as <c>GET /_emulator/requests</c>).</summary>
    /// <returns>The counts.</returns>
    public EmulatorRequestCounts GetRequestCounts() => _counter.Snapshot();

    /// <summary>Sets every count back to zero (as <c>POST /_emulator/requests/reset</c>).</summary>
    public void ResetRequestCounts() => _counter.Reset();

    /// <summary>Replaces the injected faults (as <c>POST /_emulator/faults</c>).</summary>
    /// <param name="faults">The new faults; copied.</param>
    /// <exception cref="ArgumentException">A value is out of range or an operation or error type is unknown.</exception>
    public void SetFaults(EmulatorFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var problems = _faults.Set(faults);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid faults: " + string.Join(" ", problems), nameof(faults));
        }
    }

    /// <summary>Removes every injected fault (as <c>DELETE /_emulator/faults</c>).</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Creates the secret, or adds a new AWSCURRENT version to it (the previous one becomes AWSPREVIOUS). Not counted as a request.</summary>
    /// <param name="name">The secret name.</param>
    /// <param name="secretString">The value.</param>
    /// <param name="region">The region; <see cref="EmulatorOptions.DefaultRegion"/> by default.</param>
    /// <returns>The new version id.</returns>
    public string PutSecret(string name, string secretString, string? region = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(secretString);
        region ??= _options.DefaultRegion;
        bool exists;
        lock (_store.Sync)
        {
            exists = _store.Find(region, name) is not null;
        }

        var response = exists
            ? Invoke("PutSecretValue", region, new JsonObject { ["SecretId"] = name, ["SecretString"] = secretString })
            : Invoke("CreateSecret", region, new JsonObject { ["Name"] = name, ["SecretString"] = secretString });
        return response["VersionId"]!.GetValue<string>();
    }

    /// <summary>Creates a Parameter Store parameter, or adds a version to it (as PutParameter with <c>Overwrite</c>). Not counted as a request.</summary>
    /// <param name="name">The parameter name, for example <c>/myapp/db/password</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="type"><c>String</c>, <c>StringList</c> or <c>SecureString</c>; an existing parameter's type when null (String for a new one).</param>
    /// <param name="region">The region; <see cref="EmulatorOptions.DefaultRegion"/> by default.</param>
    /// <returns>The new version number.</returns>
    /// <exception cref="InvalidOperationException">PutParameter refused the parameter.</exception>
    public long PutParameter(string name, string value, string? type = null, string? region = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var input = new JsonObject { ["Name"] = name, ["Value"] = value, ["Overwrite"] = true };
        if (type is not null)
        {
            input["Type"] = type;
        }

        try
        {
            JsonObject response;
            try
            {
                response = _parameters.Invoke("PutParameter", region ?? _options.DefaultRegion, input);
            }
            catch (EmulatorException ex) when (type is null && ex.Message.StartsWith("A parameter type is required", StringComparison.Ordinal))
            {
                input["Type"] = "String";
                response = _parameters.Invoke("PutParameter", region ?? _options.DefaultRegion, input);
            }

            return response["Version"]!.GetValue<long>();
        }
        catch (EmulatorException ex)
        {
            throw new InvalidOperationException($"PutParameter failed with {ex.Type}: {ex.Message}", ex);
        }
    }

    /// <summary>Rotates a secret now (as RotateSecret: its rotation function, or the built-in one); not counted as a request.</summary>
    /// <param name="secretId">The name or ARN.</param>
    /// <param name="region">The region; <see cref="EmulatorOptions.DefaultRegion"/> by default.</param>
    /// <returns>The new AWSCURRENT version id.</returns>
    /// <exception cref="InvalidOperationException">The call was refused, or a step of the rotation failed.</exception>
    /// <remarks>Blocks until the rotation ends; a rotation function that calls back into this emulator is served meanwhile.</remarks>
    public string RotateSecret(string secretId, string? region = null) => RotateSecretAsync(secretId, region).GetAwaiter().GetResult();

    /// <summary>Rotates a secret now (as RotateSecret: its rotation function, or the built-in one); not counted as a request.</summary>
    /// <param name="secretId">The name or ARN.</param>
    /// <param name="region">The region; <see cref="EmulatorOptions.DefaultRegion"/> by default.</param>
    /// <param name="cancellationToken">Ends the wait (and the running step).</param>
    /// <returns>The new AWSCURRENT version id.</returns>
    /// <exception cref="InvalidOperationException">The call was refused, or a step of the rotation failed.</exception>
    public async Task<string> RotateSecretAsync(string secretId, string? region = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        region ??= _options.DefaultRegion;
        JsonObject response;
        try
        {
            response = await _operations.InvokeAsync("RotateSecret", region, new JsonObject { ["SecretId"] = secretId }, cancellationToken).ConfigureAwait(false);
        }
        catch (EmulatorException ex)
        {
            throw new InvalidOperationException($"RotateSecret failed with {ex.Type}: {ex.Message}", ex);
        }

        var versionId = response["VersionId"]!.GetValue<string>();
        var outcome = _operations.Rotations().LastOrDefault(r => r.Token == versionId);
        return outcome is { Succeeded: false }
            ? throw new InvalidOperationException($"The rotation of {secretId} failed in its {outcome.FailedStep} step: {outcome.Error}")
            : versionId;
    }

    /// <summary>Returns the last 100 rotations (as <c>GET /_emulator/rotations</c>).</summary>
    internal IReadOnlyList<RotationRecord> Rotations() => _operations.Rotations();

    /// <summary>Raised when a rotation ends (tests await it instead of polling).</summary>
    internal event Action<RotationRecord>? RotationFinished
    {
        add => _operations.RotationFinished += value;
        remove => _operations.RotationFinished -= value;
    }

    /// <summary>Forgets every secret, count and fault (as <c>POST /_emulator/reset</c>).</summary>
    public void Reset()
    {
        _faults.Clear();
        _counter.Reset();
        _store.Clear();
        _parameters.Clear();
    }

    /// <summary>Stops listening; calls in flight (including hung ones) are ended.</summary>
    /// <param name="cancellationToken">Cuts the graceful shutdown short.</param>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        Log.Stopped(_logger, Endpoint);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _rotationHttp.Dispose();
        _stopping.Dispose();
    }

    private JsonObject Invoke(string operation, string region, JsonObject body)
    {
        try
        {
            return _operations.Invoke(operation, region, body);
        }
        catch (EmulatorException ex)
        {
            throw new InvalidOperationException($"{operation} failed with {ex.Type}: {ex.Message}", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, EventName = "Started", Level = LogLevel.Information,
            Message = "Secrets Manager emulator listening on {Endpoint} ({Loaded} secrets loaded, {Seeded} seeded, persistent: {Persistent})")]
        public static partial void Started(ILogger logger, Uri endpoint, int loaded, int seeded, bool persistent);

        [LoggerMessage(EventId = 11, EventName = "Stopped", Level = LogLevel.Information, Message = "Secrets Manager emulator on {Endpoint} stopped")]
        public static partial void Stopped(ILogger logger, Uri endpoint);
    }
}
