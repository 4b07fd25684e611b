using Secretary.Shared;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Secretary.Agent.Internals;

/// <summary>
/// The agent's two connection limits, in one place.
/// <list type="bullet">
/// <item>Open connections: at most <see cref="MaxOpen"/> (below the process's descriptor limit). A connection past it is
/// closed at once, before Kestrel allocates anything for it, and counted; the warning is rate-limited. A flood of idle
/// connections therefore costs a bounded number of descriptors and bounded memory, and ends when the flood ends.</item>
/// <item><c>max_conn</c>, as the AWS agent counts it: open connections, idle keep-alive ones included. Only connections
/// that carried a request with the token are counted, so a local user without the token cannot use them up; every other
/// request (health routes, refusals) has its own small budget of requests in flight.</item>
/// </list>
/// </summary>
internal sealed partial class ConnectionBudget
{
    private static readonly object StateKey = new();

    private readonly ILogger _logger;
    private readonly RateLimitedLog _shedLog;
    private int _open;
    private int _counted;
    private int _anonymousInFlight;
    private long _shed;

    public ConnectionBudget(int maxOpen, int maxConn, int anonymousInFlight, TimeProvider time, ILogger logger)
    {
        MaxOpen = maxOpen;
        MaxConn = maxConn;
        MaxAnonymousInFlight = anonymousInFlight;
        _logger = logger;
        _shedLog = new RateLimitedLog(time, TimeSpan.FromSeconds(10));
    }

    /// <summary>The most connections open at once.</summary>
    public int MaxOpen { get; }

    /// <summary>The most connections that carried the token (<c>max_conn</c>).</summary>
    public int MaxConn { get; }

    /// <summary>The most requests without the token handled at once.</summary>
    public int MaxAnonymousInFlight { get; }

    public int Open => Volatile.Read(ref _open);

    public int Counted => Volatile.Read(ref _counted);

    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Kestrel connection middleware: admits up to <see cref="MaxOpen"/> connections and tracks each one's state.</summary>
    public ConnectionDelegate Admit(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > MaxOpen)
        {
            Interlocked.Decrement(ref _open);
            var shed = Interlocked.Increment(ref _shed);
            if (_shedLog.TryEnter(out var suppressed))
            {
                Log.ConnectionsShed(_logger, MaxOpen, shed, suppressed);
            }

            // As Kestrel's own limit does: end both pipes; the socket closes without a request being read.
            await connection.Transport.Input.CompleteAsync().ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            return;
        }

        var state = new ConnectionState();
        connection.Items[StateKey] = state;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            if (state.Counted)
            {
                Interlocked.Decrement(ref _counted);
            }

            Interlocked.Decrement(ref _open);
        }
    };

    /// <summary>The state of the connection a request came on; a fresh one when it was not admitted here (tests).</summary>
    public static ConnectionState StateOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(StateKey, out var state) == true && state is ConnectionState known
            ? known
            : new ConnectionState();

    /// <summary>True when <c>max_conn</c> connections that carried the token are open and this one is not among them (the AWS agent's first check).</summary>
    public bool IsFull(ConnectionState state, int headroom = 0) => !state.Counted && Volatile.Read(ref _counted) >= MaxConn + headroom;

    /// <summary>Counts the connection towards <c>max_conn</c> once it carried the token; false when that would pass the limit.</summary>
    public bool TryCount(ConnectionState state)
    {
        if (state.Counted)
        {
            return true;
        }

        while (true)
        {
            var counted = Volatile.Read(ref _counted);
            if (counted >= MaxConn)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _counted, counted + 1, counted) == counted)
            {
                state.Counted = true;
                return true;
            }
        }
    }

    /// <summary>Takes a slot of the budget of requests without the token; false when it is used up.</summary>
    public bool TryEnterAnonymous()
    {
        if (Interlocked.Increment(ref _anonymousInFlight) <= MaxAnonymousInFlight)
        {
            return true;
        }

        Interlocked.Decrement(ref _anonymousInFlight);
        return false;
    }

    public void ExitAnonymous() => Interlocked.Decrement(ref _anonymousInFlight);

    /// <summary>Per connection: whether it counts towards <c>max_conn</c>.</summary>
    internal sealed class ConnectionState
    {
        public volatile bool Counted;
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Warning, "Closed new connections: {MaxOpen} are open, the most allowed ({Shed} closed so far, {Suppressed} warnings like this one suppressed)", EventName = "ConnectionsShed")]
        public static partial void ConnectionsShed(ILogger logger, int maxOpen, long shed, long suppressed);
    }
}
