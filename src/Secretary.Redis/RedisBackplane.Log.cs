using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Secretary.Redis;

public sealed partial class RedisBackplane
{
    /// <summary>Log messages with fixed event ids. Fields: endpoint (never the password), channel, secret id, version id; never a value or a message body.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Backplane: connected to Redis at {Endpoint}, channel {Channel}, instance {InstanceId}", EventName = "BackplaneConnected")]
        public static partial void Connected(ILogger logger, string endpoint, string channel, string instanceId);

        [LoggerMessage(2, LogLevel.Warning, "Backplane: Redis at {Endpoint} is not reachable ({Reason}); the cache works on TTLs alone while the backplane keeps trying", EventName = "BackplaneUnreachable")]
        public static partial void Unreachable(ILogger logger, string endpoint, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Backplane: lost the {ConnectionType} connection to Redis at {Endpoint} ({FailureType}); the cache works on TTLs alone, reconnecting", EventName = "BackplaneDisconnected")]
        public static partial void Disconnected(ILogger logger, string endpoint, ConnectionType connectionType, ConnectionFailureType failureType);

        [LoggerMessage(4, LogLevel.Information, "Backplane: {ConnectionType} connection to Redis at {Endpoint} restored; re-reading the cached secrets for changes missed meanwhile", EventName = "BackplaneReconnected")]
        public static partial void Reconnected(ILogger logger, string endpoint, ConnectionType connectionType);

        [LoggerMessage(5, LogLevel.Debug, "Backplane: published {SecretId} ({VersionStage}, version {VersionId}) to {Receivers} subscribers", EventName = "BackplanePublished")]
        public static partial void Published(ILogger logger, string secretId, string versionStage, string? versionId, long receivers);

        [LoggerMessage(6, LogLevel.Warning, "Backplane: could not publish the change of {SecretId} ({Reason}); other instances will see it within their TTL", EventName = "BackplanePublishFailed")]
        public static partial void PublishFailed(ILogger logger, string secretId, string reason);

        [LoggerMessage(7, LogLevel.Warning, "Backplane: {Count} change messages waiting to be published were dropped (Redis slow or down); other instances will see them within their TTL", EventName = "BackplaneDropped")]
        public static partial void Dropped(ILogger logger, long count);

        [LoggerMessage(8, LogLevel.Debug, "Backplane: {SecretId} ({VersionStage}, version {VersionId}) from {Origin}: {Outcome}", EventName = "BackplaneReceived")]
        public static partial void Received(ILogger logger, string secretId, string versionStage, string? versionId, string origin, string outcome);

        [LoggerMessage(9, LogLevel.Warning, "Backplane: ignored a malformed message of {Bytes} bytes on {Channel} ({Suppressed} more since the last warning)", EventName = "BackplaneMalformed")]
        public static partial void Malformed(ILogger logger, long bytes, string channel, long suppressed);

        [LoggerMessage(11, LogLevel.Information, "Backplane: re-read {Secrets} cached secrets after the reconnect in {StoreCalls} store calls ({Failed} failed)", EventName = "BackplaneReconciled")]
        public static partial void Reconciled(ILogger logger, int secrets, int storeCalls, int failed);

        [LoggerMessage(10, LogLevel.Warning, "Backplane: could not subscribe to {Channel} ({Reason}); retrying when the connection comes back", EventName = "BackplaneSubscribeFailed")]
        public static partial void SubscribeFailed(ILogger logger, string channel, string reason);
    }
}
