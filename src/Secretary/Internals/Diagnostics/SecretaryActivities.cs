using System.Diagnostics;

namespace Secretary.Internals.Diagnostics;

/// <summary>
/// The <c>Secretary</c> activity source: one client span per store call (a single read or a
/// batch), with OpenTelemetry's semantic-convention attributes for a remote call, why the cache
/// called the store, and how many readers the one call served. Never a value; the secret's
/// name only when <see cref="SecretCacheOptions.TraceSecretNames"/> is set. Nothing is
/// allocated when nobody listens.
/// </summary>
internal static class SecretaryActivities
{
    public const string SourceName = "Secretary";

    public static readonly ActivitySource Source = new(SourceName, typeof(SecretaryActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of a store call, or returns null when no listener samples it.</summary>
    public static Activity? StartStoreCall(ISecretStore store, string operation, string reason, string? secretName, int secretCount)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        var (system, service) = store.Kind switch
        {
            "aws" => ("aws-api", "SecretsManager"),
            "ssm" => ("aws-api", "SSM"),
            var kind => ("secretary", kind),
        };
        activity.SetTag("rpc.system", system);
        activity.SetTag("rpc.service", service);
        activity.SetTag("rpc.method", operation);
        activity.SetTag("cloud.region", store.Region ?? "local");
        activity.SetTag("secretary.store.kind", store.Kind);
        activity.SetTag("secretary.cache.outcome", reason);
        if (secretCount != 1)
        {
            activity.SetTag("secretary.batch.size", secretCount);
        }

        if (secretName is not null)
        {
            activity.SetTag("secretary.secret.name", secretName);
        }

        return activity;
    }

    /// <summary>Ends the span: error.type and an error status on failure, and the readers the call served.</summary>
    public static void Stop(Activity? activity, SecretaryException? error, int waiters)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("secretary.flight.waiters", waiters);
        if (error is not null)
        {
            activity.SetTag("error.type", error is SecretStoreUnavailableException unavailable ? unavailable.Reason.ToString() : error.ErrorCode ?? error.Category.ToString());
            activity.SetStatus(ActivityStatusCode.Error, error.Category.ToString());
        }

        activity.Stop();
    }
}
