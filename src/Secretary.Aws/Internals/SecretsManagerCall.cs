using Amazon.Runtime;

namespace Secretary.Aws.Internals;

/// <summary>One awsJson1_1 call: the operation name and its JSON body, marshalled by <see cref="SecretsManagerMarshaller"/>.</summary>
internal sealed class SecretsManagerCall : AmazonWebServiceRequest
{
    public SecretsManagerCall(string operation, byte[] body)
    {
        Operation = operation;
        Body = body;
    }

    public string Operation { get; }

    public byte[] Body { get; }
}
