using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Secretary.Aws.Internals;

/// <summary>Marshals a <see cref="SecretsManagerCall"/> as awsJson1_1: <c>POST /</c> with <c>X-Amz-Target</c>.</summary>
internal sealed class SecretsManagerMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    public const string ContentType = "application/x-amz-json-1.1";

    public static SecretsManagerMarshaller Instance { get; } = new();

    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var call = (SecretsManagerCall)input;
        var request = new DefaultRequest(call, "Amazon.SecretsManager")
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = call.Body,
        };
        request.Headers["X-Amz-Target"] = "secretsmanager." + call.Operation;
        request.Headers["Content-Type"] = ContentType;
        request.Headers[Amazon.Util.HeaderKeys.XAmzApiVersion] = "2017-10-17";
        return request;
    }
}
