using Microsoft.Extensions.Logging;

namespace Secretary;

public sealed partial class SecretCache
{
    /// <summary>Log messages with fixed event ids. Fields: cache name, secret id, operation; never a value.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cache {Cache}: store call {Operation} for {SecretId} failed ({Category}/{Reason}), failure {Failures}; next try in {RetrySeconds:0.###} s", EventName = "StoreFailed")]
        public static partial void StoreFailed(ILogger logger, string cache, string secretId, string operation, SecretErrorCategory category, string reason, int failures, double retrySeconds);

        [LoggerMessage(2, LogLevel.Warning, "Cache {Cache}: serving the last good value of {SecretId} (age {AgeSeconds:0.#} s) while the store fails", EventName = "ServingStale")]
        public static partial void ServingStale(ILogger logger, string cache, string secretId, double ageSeconds);

        [LoggerMessage(3, LogLevel.Information, "Cache {Cache}: {SecretId} changed version {PreviousVersionId} -> {VersionId}", EventName = "VersionChanged")]
        public static partial void VersionChanged(ILogger logger, string cache, string secretId, string previousVersionId, string versionId);

        [LoggerMessage(4, LogLevel.Information, "Cache {Cache}: {SecretId} cannot be read ({Category}, {ErrorCode}); not masked by a cached value", EventName = "PermanentError")]
        public static partial void PermanentError(ILogger logger, string cache, string secretId, SecretErrorCategory category, string? errorCode);

        [LoggerMessage(9, LogLevel.Information, "Cache {Cache}: the store answers again after an outage; refreshing {Count} failing entries in batches", EventName = "Recovering")]
        public static partial void Recovering(ILogger logger, string cache, int count);

        [LoggerMessage(6, LogLevel.Information, "Cache {Cache}: cleared {Scope} ({Count} entries)", EventName = "Cleared")]
        public static partial void Cleared(ILogger logger, string cache, string scope, int count);

        [LoggerMessage(8, LogLevel.Warning, "Cache {Cache}: a VersionChanged handler failed for {SecretId} ({Error})", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string cache, string secretId, string error);

        [LoggerMessage(7, LogLevel.Information, "Cache {Cache}: warmed {Total} secrets, {Successful} ok, {Failed} failed, {StoreCalls} store calls in {DurationSeconds:0.###} s", EventName = "Warmed")]
        public static partial void Warmed(ILogger logger, string cache, int total, int successful, int failed, int storeCalls, double durationSeconds);
    }
}
