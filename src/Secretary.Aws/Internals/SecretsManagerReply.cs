using Amazon.Runtime;

namespace Secretary.Aws.Internals;

/// <summary>The JSON body of a successful call, parsed by the store (it may hold secret values: never log it).</summary>
internal sealed class SecretsManagerReply : AmazonWebServiceResponse
{
    public byte[] Body { get; init; } = [];
}
