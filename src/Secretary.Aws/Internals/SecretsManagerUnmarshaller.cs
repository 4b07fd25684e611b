using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace Secretary.Aws.Internals;

/// <summary>
/// Reads a successful answer as raw JSON (the store parses it), and an error through the SDK's
/// <see cref="JsonErrorResponseUnmarshaller"/> (<c>__type</c>, <c>message</c>, <c>x-amzn-ErrorType</c>).
/// </summary>
internal sealed class SecretsManagerUnmarshaller : JsonResponseUnmarshaller
{
    public static SecretsManagerUnmarshaller Instance { get; } = new();

    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
    {
        using var buffer = new MemoryStream();
        context.Stream.CopyTo(buffer);
        return new SecretsManagerReply { Body = buffer.ToArray() };
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        var reader = new StreamingUtf8JsonReader(context.Stream);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader);
        return new SecretsManagerServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}
