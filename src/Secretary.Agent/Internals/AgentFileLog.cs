using Microsoft.Extensions.Logging;
using NLog.Config;
using NLog.Extensions.Logging;
using NLog.Targets;

namespace Secretary.Agent.Internals;

/// <summary>
/// The AWS agent's <c>log_to_file</c>: <c>./logs/secrets_manager_agent.log</c> (from the working directory), rolled at
/// 10 MB into <c>./logs/archive/</c>, 5 old files kept. Written by NLog's file target (the active file keeps its name).
/// </summary>
internal static class AgentFileLog
{
    public const string FileName = "logs/secrets_manager_agent.log";
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int ArchivedFiles = 5;

    public static void AddTo(ILoggingBuilder logging, LogLevel level, string? directory = null)
    {
        var root = Path.GetFullPath(directory ?? Directory.GetCurrentDirectory());
        var file = new FileTarget("secrets_manager_agent")
        {
            FileName = Path.Combine(root, FileName),
            ArchiveFileName = Path.Combine(root, "logs", "archive", "secrets_manager_agent.log"),
            ArchiveSuffixFormat = "_{0}",
            ArchiveAboveSize = MaxBytes,
            MaxArchiveFiles = ArchivedFiles,
            KeepFileOpen = true,
            Layout = "${date:universalTime=true:format=yyyy-MM-ddTHH\\:mm\\:ss.fffZ} ${level:uppercase=true} ${logger} ${message}",
        };
        var configuration = new LoggingConfiguration();
        configuration.AddRule(NLogLevel(level), NLog.LogLevel.Fatal, file);
        var factory = new NLog.LogFactory { Configuration = configuration };
        logging.AddNLog(_ => factory);
    }

    private static NLog.LogLevel NLogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => NLog.LogLevel.Trace,
        LogLevel.Debug => NLog.LogLevel.Debug,
        LogLevel.Information => NLog.LogLevel.Info,
        LogLevel.Warning => NLog.LogLevel.Warn,
        LogLevel.Error => NLog.LogLevel.Error,
        LogLevel.Critical => NLog.LogLevel.Fatal,
        _ => NLog.LogLevel.Off,
    };
}
