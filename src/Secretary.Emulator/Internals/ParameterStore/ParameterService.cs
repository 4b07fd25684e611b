using Microsoft.AspNetCore.Http;

namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>
/// Tells Parameter Store calls from Secrets Manager calls on the shared port: the <c>AmazonSSM.</c> target prefix, or,
/// for a call without a known target, a SigV4 credential scope whose service is <c>ssm</c>.
/// </summary>
internal static class ParameterService
{
    public static bool Handles(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.StartsWith(ParameterOperations.TargetPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        if (target.StartsWith(EmulatorConstants.TargetPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ssm/aws4_request, ...
        var authorization = request.Headers.Authorization.ToString();
        var credential = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (credential < 0)
        {
            return false;
        }

        var scope = authorization.AsSpan(credential + "Credential=".Length);
        var end = scope.IndexOfAny(',', ' ');
        var parts = (end < 0 ? scope : scope[..end]).ToString().Split('/');
        return parts.Length == 5 && parts[3] == ParameterOperations.ServiceName;
    }
}
