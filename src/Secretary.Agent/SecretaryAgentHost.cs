using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Secretary.Agent.Internals;
using Secretary.Shared;

namespace Secretary.Agent;

/// <summary>
/// A running agent: Kestrel on loopback (127.0.0.1:2773 by default), one <see cref="SecretCache"/>
/// over the given store, the AWS agent's routes, health, stats and Prometheus metrics.
/// </summary>
public sealed partial class SecretaryAgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AgentToken _token;
    private IAsyncDisposable? _backplane;

    private SecretaryAgentHost(WebApplication app, Uri address, AgentToken token, ISecretCache cache, string? unixSocket)
    {
        _app = app;
        _token = token;
        Address = address;
        UnixSocket = unixSocket;
        Cache = cache;
    }

    /// <summary>Where the agent listens, e.g. http://127.0.0.1:2773/.</summary>
    public Uri Address { get; }

    /// <summary>The Unix-domain socket the agent also listens on, when it does.</summary>
    public string? UnixSocket { get; }

    /// <summary>Where the token came from (never the token).</summary>
    public string TokenSource => _token.Source;

    /// <summary>The file holding the token, when there is one.</summary>
    public string? TokenFile => _token.FilePath;

    /// <summary>The secret ids the agent has answered (bounded), for a fleet backplane to re-read after a reconnect.</summary>
    public IReadOnlyCollection<string> ServedSecretIds => _app.Services.GetRequiredService<ServedSecrets>().Snapshot();

    /// <summary>The agent's services (tests look at its connection counts).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>The agent's cache.</summary>
    public ISecretCache Cache { get; }

    /// <summary>Starts an agent over <paramref name="store"/>.</summary>
    /// <param name="options">Settings; validated, every problem reported in one <see cref="AgentConfigurationException"/>.</param>
    /// <param name="store">Where secrets come from; disposed with the agent when disposable.</param>
    /// <param name="configureLogging">
    /// Adds log providers; by default one line per message on standard error at <see cref="SecretaryAgentOptions.LogLevel"/>, as
    /// text or JSON (<see cref="SecretaryAgentOptions.LogFormat"/>).
    /// </param>
    /// <param name="timeProvider">The cache's clock; <see cref="TimeProvider.System"/> when null (tests pass a fake one).</param>
    /// <param name="attachBackplane">
    /// Attaches a fleet backplane (e.g. Redis, when <see cref="SecretaryAgentOptions.Redis"/> is set) to the agent's cache once
    /// it listens; given the cache and the agent's services (logging, meters, clock). Disposed first when the agent stops.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SecretaryAgentHost> StartAsync(
        SecretaryAgentOptions options,
        ISecretStore store,
        Action<ILoggingBuilder>? configureLogging = null,
        TimeProvider? timeProvider = null,
        Func<ISecretCache, IServiceProvider, CancellationToken, Task<IAsyncDisposable>>? attachBackplane = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        SecretaryAgentConfiguration.Validate(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "secretary-agent", Args = [] });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = AgentDefaults.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = AgentDefaults.MaxHeaderBytes;

            // A reader that stops reading, or a client that sends its headers a byte at a time, loses its connection.
            kestrel.Limits.MinResponseDataRate = new MinDataRate(AgentDefaults.MinDataRateBytesPerSecond, AgentDefaults.MinDataRateGrace);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(AgentDefaults.MinDataRateBytesPerSecond, AgentDefaults.MinDataRateGrace);
            kestrel.Limits.RequestHeadersTimeout = AgentDefaults.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = AgentDefaults.KeepAliveTimeout;
            kestrel.Listen(options.BindAddress == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.BindAddress), options.HttpPort, Admitted);
            if (options.UnixSocket is { } socket)
            {
                UnixSocketListener.Prepare(socket);
                kestrel.ListenUnixSocket(socket, Admitted);
            }
        });
        builder.Host.ConfigureHostOptions(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var level = ConsoleLogs.LevelOf(options.LogLevel);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        ConsoleLogs.HideStartFailures(builder.Logging);
        if (configureLogging is null)
        {
            var format = ConsoleLogs.Resolve(options.LogFormat, builder.Configuration)
                ?? throw new AgentConfigurationException(ConsoleLogs.InvalidFormat(builder.Configuration[ConsoleLogs.FormatKey]));
            ConsoleLogs.AddTo(builder.Logging, format);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        if (options.LogToFile)
        {
            AgentFileLog.AddTo(builder.Logging, level);
        }

        var services = builder.Services;
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(sp => AgentToken.Resolve(options, options.GenerateToken, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Secretary.Agent.Token")));
        services.AddSingleton<ISecretCache>(sp => new SecretCache(
            store,
            options.ToCacheOptions(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SecretCache>>(),
            sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(new ReadinessState([.. options.RequiredSecrets.Distinct(StringComparer.Ordinal)]));
        services.AddSingleton(new ServedSecrets(options.CacheSize));
        services.AddSingleton(sp => new ConnectionBudget(
            MaxOpenConnections(options), options.MaxConn, AgentDefaults.AnonymousInFlight,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Secretary.Agent.Connections")));
        services.AddHostedService<RequiredSecretsWarmer>();
        AgentTelemetry.AddTo(services, builder.Configuration);

        var app = builder.Build();
        app.UseMiddleware<AgentRequestHandler>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");

        var token = app.Services.GetRequiredService<AgentToken>();
        var cache = app.Services.GetRequiredService<ISecretCache>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !a.Contains("unix:", StringComparison.Ordinal)).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        if (options.UnixSocket is { } unixSocket)
        {
            UnixSocketListener.Restrict(unixSocket);
        }

        token.WriteGenerated(address.Port);
        var host = new SecretaryAgentHost(app, address, token, cache, options.UnixSocket);
        Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Secretary.Agent"), host.Address.ToString().TrimEnd('/'));
        if (attachBackplane is not null)
        {
            try
            {
                host._backplane = await attachBackplane(cache, app.Services, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return host;
    }

    /// <summary>Completes when the agent stops (Ctrl+C, SIGTERM, or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting requests and lets in-flight ones finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _backplane, null) is { } backplane)
        {
            await backplane.DisposeAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _token.DeleteGenerated();
        if (UnixSocket is not null)
        {
            UnixSocketListener.Remove(UnixSocket);
        }
    }

    /// <summary>HTTP/1.1 only, behind the connection budget.</summary>
    private static void Admitted(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(next => listen.ApplicationServices.GetRequiredService<ConnectionBudget>().Admit(next));
    }

    /// <summary>The most connections open at once: the setting, and always well below the descriptor limit.</summary>
    private static int MaxOpenConnections(SecretaryAgentOptions options)
    {
        var limit = options.MaxOpenConnections;
        if (UnixNative.DescriptorLimit() is { } descriptors)
        {
            limit = (int)Math.Min(limit, Math.Max(16, descriptors - AgentDefaults.ReservedDescriptors));
        }

        return Math.Max(limit, 1);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Agent/" + Version + " listening on {Address}", EventName = "Listening")]
        public static partial void Listening(ILogger logger, string address);
    }

    /// <summary>The version in the start line (as the AWS agent writes it: <c>Agent/VERSION listening on http://127.0.0.1:PORT</c>).</summary>
    public const string Version = "secretary-0.1.0";
}
