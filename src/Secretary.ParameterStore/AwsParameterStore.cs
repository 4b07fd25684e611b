using System.Globalization;
using Amazon;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.ParameterStore.Internals;

namespace Secretary.ParameterStore;

/// <summary>
/// AWS Systems Manager Parameter Store as a Secretary store, on the official <c>AWSSDK.SimpleSystemsManagement</c>
/// client (SigV4, the default credential chain, the SDK's retries). One parameter is one GetParameter call; warm-up
/// reads GetParameters, 10 names a call; <see cref="GetParametersByPathAsync"/> reads a hierarchy, 10 a page.
/// </summary>
/// <remarks>
/// An id is a parameter name or ARN, with an optional selector: <c>/myapp/db/password</c>, <c>/myapp/db/password:3</c>
/// (version 3), <c>/myapp/db/password:prod</c> (the version labelled prod). A request's version id selects a version
/// and a stage other than AWSCURRENT selects a label. <c>/aws/reference/secretsmanager/NAME</c> reads a Secrets
/// Manager secret through Parameter Store. Values are read decrypted unless <see cref="AwsParameterStoreOptions.WithDecryption"/> is false.
/// </remarks>
public sealed partial class AwsParameterStore : ISecretStore, IDisposable
{
    private static readonly string[] NoStages = [];

    private readonly AwsParameterStoreOptions _options;
    private readonly AmazonSimpleSystemsManagementClient _client;
    private readonly string _region;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Builds a store; nothing is sent until the first read.</summary>
    /// <param name="options">The settings (copied); null for all defaults (region and credentials from the environment).</param>
    /// <param name="logger">Where failures are logged (never values); none by default.</param>
    /// <exception cref="ArgumentException">An option is invalid, no region can be found, or the named profile does not exist.</exception>
    public AwsParameterStore(AwsParameterStoreOptions? options = null, ILogger<AwsParameterStore>? logger = null)
    {
        _options = (options ?? new AwsParameterStoreOptions()).Duplicate();
        _options.Validate();
        _time = _options.TimeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var settings = ParameterStoreSettings.Resolve(_options);
        _region = settings.Region;
        var config = new AmazonSimpleSystemsManagementConfig
        {
            RetryMode = _options.RetryMode,
            MaxErrorRetry = _options.MaxAttempts - 1,
            MaxStaleConnectionRetries = 1,
            Timeout = _options.Timeout,
        };
        if (settings.ServiceUrl is not null)
        {
            // ServiceURL clears RegionEndpoint: without AuthenticationRegion the signing scope would silently be us-east-1.
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        _client = settings.Credentials is { } credentials
            ? new AmazonSimpleSystemsManagementClient(credentials, config)
            : new AmazonSimpleSystemsManagementClient(config);
        Log.Created(_logger, settings.Region, settings.ServiceUrl ?? "default", _options.PathPrefix ?? "none", _options.WithDecryption);
    }

    /// <inheritdoc />
    public string Kind => ParameterStoreDefaults.Kind;

    /// <inheritdoc />
    public string? Region => _region;

    /// <summary>Gets 10: GetParameters takes at most 10 names a call.</summary>
    public int MaxBatchSize => ParameterStoreDefaults.BatchSize;

    /// <summary>Gets the path put before relative names, ending with <c>/</c>, or null.</summary>
    public string? PathPrefix => _options.PathPrefix;

    /// <inheritdoc />
    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var name = ParameterName.From(request, _options.PathPrefix);
        return await ExecuteAsync(
            "GetParameter",
            request.SecretId,
            async ct =>
            {
                var response = await _client.GetParameterAsync(new GetParameterRequest { Name = name.Text, WithDecryption = _options.WithDecryption }, ct).ConfigureAwait(false);
                return ToSecret(response.Parameter ?? throw new InvalidDataException("GetParameter answered without a Parameter."));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>GetParameters, 10 names a call (selectors included); each name the service lists in <c>InvalidParameters</c> is not found.</remarks>
    public async Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var results = new SecretBatchResult?[requests.Count];
        var names = new ParameterName[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                names[i] = ParameterName.From(requests[i], _options.PathPrefix);
            }
            catch (SecretParameterException ex)
            {
                results[i] = SecretBatchResult.Failure(requests[i], ex);
            }
        }

        var texts = Enumerable.Range(0, requests.Count).Where(i => results[i] is null).Select(i => names[i].Text).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in texts.Chunk(ParameterStoreDefaults.BatchSize))
        {
            var answers = await BatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < requests.Count; i++)
            {
                if (results[i] is null && answers.TryGetValue(names[i].Text, out var answer))
                {
                    results[i] = answer.Secret is { } secret
                        ? SecretBatchResult.Success(requests[i], secret)
                        : SecretBatchResult.Failure(requests[i], ParameterErrors.ForId(answer.Error!, requests[i].SecretId));
                }
            }
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>
    /// Reads every parameter under <paramref name="path"/> (GetParametersByPath, following every page, 10 parameters
    /// a page), decrypted as the options say. <paramref name="path"/> relative to <see cref="PathPrefix"/> when it does not begin with <c>/</c>.
    /// </summary>
    /// <param name="path">The hierarchy, for example <c>/myapp/prod/</c>.</param>
    /// <param name="recursive">True for every level below the path; false for its direct children only.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The parameters in the order the service answered them.</returns>
    /// <exception cref="SecretaryException">A page failed; the subclass says how.</exception>
    public async Task<IReadOnlyList<Secret>> GetParametersByPathAsync(string path, bool recursive = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var full = _options.PathPrefix is { } prefix && !path.StartsWith('/') ? prefix + path : path;
        var parameters = new List<Secret>();
        string? nextToken = null;
        var pages = 0;
        do
        {
            var token = nextToken;
            var page = await ExecuteAsync(
                "GetParametersByPath",
                full,
                ct => _client.GetParametersByPathAsync(
                    new GetParametersByPathRequest
                    {
                        Path = full,
                        Recursive = recursive,
                        WithDecryption = _options.WithDecryption,
                        MaxResults = ParameterStoreDefaults.PageSize,
                        NextToken = token,
                    },
                    ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var parameter in page.Parameters ?? [])
            {
                parameters.Add(ToSecret(parameter));
            }

            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (nextToken is not null && ++pages < ParameterStoreDefaults.MaxPages);

        return parameters;
    }

    /// <inheritdoc />
    public bool Answers(SecretRequest request, Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        try
        {
            return ParameterName.From(request, _options.PathPrefix).IsAnsweredBy(secret);
        }
        catch (SecretParameterException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.Dispose();
        }
    }

    /// <summary>A parameter as a secret: the value, the version as its version id, the modification date, the type and data type as attributes.</summary>
    internal static Secret ToSecret(Parameter parameter)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ParameterAttributes.Type] = parameter.Type?.Value ?? "String",
            [ParameterAttributes.DataType] = parameter.DataType ?? "text",
        };
        if (!string.IsNullOrEmpty(parameter.Selector))
        {
            attributes[ParameterAttributes.Selector] = parameter.Selector;
        }

        if (!string.IsNullOrEmpty(parameter.SourceResult))
        {
            attributes[ParameterAttributes.SourceResult] = parameter.SourceResult;
        }

        return new Secret(
            parameter.Name ?? throw new InvalidDataException("Parameter Store answered a parameter without a name."),
            (parameter.Version ?? 0).ToString(CultureInfo.InvariantCulture),
            secretString: parameter.Value ?? string.Empty,
            versionStages: NoStages,
            arn: parameter.ARN,
            createdDate: parameter.LastModifiedDate is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)) : null)
        {
            Attributes = attributes,
        };
    }

    /// <summary>One GetParameters call: a secret or a typed error for each name asked for.</summary>
    private async Task<Dictionary<string, (Secret? Secret, SecretaryException? Error)>> BatchAsync(string[] names, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ExecuteAsync(
                "GetParameters",
                names[0],
                ct => _client.GetParametersAsync(new GetParametersRequest { Names = [.. names], WithDecryption = _options.WithDecryption }, ct),
                cancellationToken).ConfigureAwait(false);
            var answers = new Dictionary<string, (Secret? Secret, SecretaryException? Error)>(StringComparer.Ordinal);
            foreach (var parameter in response.Parameters ?? [])
            {
                var secret = ToSecret(parameter);
                var asked = names.FirstOrDefault(n => !answers.ContainsKey(n) && Matches(n, parameter));
                if (asked is not null)
                {
                    answers[asked] = (secret, null);
                }
            }

            foreach (var invalid in response.InvalidParameters ?? [])
            {
                if (Array.IndexOf(names, invalid) >= 0 && !answers.ContainsKey(invalid))
                {
                    answers[invalid] = (null, ParameterErrors.FromCode(invalid, "ParameterNotFound", "GetParameters listed it in InvalidParameters", 400));
                }
            }

            foreach (var name in names)
            {
                if (!answers.ContainsKey(name))
                {
                    answers[name] = (null, new SecretStoreUnavailableException(name, StoreFailureReason.ServerError, "Parameter Store's GetParameters answer left this parameter out; the cache will retry with backoff.", "MissingFromBatch"));
                }
            }

            return answers;
        }
        catch (SecretaryException error)
        {
            return names.ToDictionary(n => n, n => ((Secret?)null, (SecretaryException?)ParameterErrors.ForId(error, n)), StringComparer.Ordinal);
        }

        // A name asked for, and the parameter answered: the name (or ARN) with the selector it was asked with.
        static bool Matches(string asked, Parameter parameter)
        {
            var selector = parameter.Selector ?? string.Empty;
            return asked == parameter.Name + selector || asked == parameter.ARN + selector
                || (asked.StartsWith("arn:", StringComparison.Ordinal) && asked.EndsWith(parameter.Name + selector, StringComparison.Ordinal));
        }
    }

    private async Task<T> ExecuteAsync<T>(string operation, string id, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = ParameterErrors.FromException(id, ex, timeout.IsCancellationRequested);
            Log.CallFailed(_logger, operation, id, _region, error.ErrorCode, error.StatusCode, error.IsTransient);
            throw error;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "Created", Level = LogLevel.Debug,
            Message = "Parameter Store store for {Region} (endpoint: {Endpoint}; path prefix: {PathPrefix}; decryption {WithDecryption})")]
        public static partial void Created(ILogger logger, string region, string endpoint, string pathPrefix, bool withDecryption);

        [LoggerMessage(EventId = 2, EventName = "CallFailed", Level = LogLevel.Debug,
            Message = "{Operation} for {ParameterName} in {Region} failed with {ErrorCode} (status {StatusCode}, transient {Transient})")]
        public static partial void CallFailed(ILogger logger, string operation, string parameterName, string region, string? errorCode, int? statusCode, bool transient);
    }
}
