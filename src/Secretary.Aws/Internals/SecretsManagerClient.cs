using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Secretary.Aws.Internals;

/// <summary>
/// A minimal Secrets Manager client on the SDK's pipeline: credentials, SigV4, retries (standard or adaptive),
/// clock-skew correction and endpoint resolution are the SDK's; the operations are marshalled by hand.
/// </summary>
internal sealed class SecretsManagerClient : AmazonServiceClient
{
    public SecretsManagerClient(AWSCredentials? credentials, SecretsManagerConfig config)
        : base(credentials!, config)
    {
    }

    public SecretsManagerClient(SecretsManagerConfig config)
        : base(config)
    {
    }

    /// <summary>Sends one operation with a JSON body and returns the JSON answer.</summary>
    /// <exception cref="AmazonServiceException">The service answered an error (after the SDK's retries).</exception>
    public async Task<byte[]> SendAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var options = new InvokeOptions
        {
            RequestMarshaller = SecretsManagerMarshaller.Instance,
            ResponseUnmarshaller = SecretsManagerUnmarshaller.Instance,
        };
        var reply = await InvokeAsync<SecretsManagerReply>(new SecretsManagerCall(operation, body), options, cancellationToken).ConfigureAwait(false);
        return reply.Body;
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        pipeline.AddHandlerAfter<Marshaller>(new SecretsManagerAuthSchemeHandler());
    }
}
