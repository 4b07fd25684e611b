namespace Secretary.Emulator.Internals;

/// <summary>An error answered to the client as <c>{"__type": Type, "message": Message}</c> with <see cref="StatusCode"/>.</summary>
internal sealed class EmulatorException : Exception
{
    public EmulatorException(string type, string message, int statusCode = 400)
        : base(message)
    {
        Type = type;
        StatusCode = statusCode;
    }

    public string Type { get; }

    public int StatusCode { get; }

    public static EmulatorException NotFound(string message) => new("ResourceNotFoundException", message);

    public static EmulatorException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static EmulatorException InvalidRequest(string message) => new("InvalidRequestException", message);

    public static EmulatorException Validation(string message) => new("ValidationException", "1 validation error detected: " + message);

    public static EmulatorException Serialization(string message) => new("SerializationException", message);

    public static EmulatorException Exists(string message) => new("ResourceExistsException", message);
}
