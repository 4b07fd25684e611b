using System.Net;
using Amazon.Runtime;

namespace Secretary.Aws.Internals;

/// <summary>An error answered by Secrets Manager; mapped to a typed <see cref="SecretaryException"/> by <see cref="SecretaryException"/>.</summary>
internal sealed class SecretsManagerServiceException : AmazonServiceException
{
    public SecretsManagerServiceException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }
}
