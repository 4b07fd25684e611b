namespace Secretary.Redis;

/// <summary>Redis could not be reached or refused a command; nothing was published.</summary>
public sealed class RedisBackplaneException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisBackplaneException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedisBackplaneException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RedisBackplaneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
