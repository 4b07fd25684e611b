using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Secretary.Aws.Internals;

/// <summary>Every Secrets Manager operation is signed with SigV4 (without this handler the SDK's signer has no scheme).</summary>
internal sealed class SecretsManagerAuthSchemeHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
