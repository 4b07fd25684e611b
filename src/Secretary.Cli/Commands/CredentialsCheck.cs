using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Secretary.Agent;

namespace Secretary.Cli.Commands;

/// <summary>
/// The AWS agent's <c>validate_credentials</c>: before serving, STS <c>GetCallerIdentity</c> with the store's credentials,
/// region and endpoint. Refused credentials stop the agent (exit 1); a transient failure (network, throttling, 5xx) is
/// passed over when <c>ignore_transient_errors</c> is true, as the AWS agent does.
/// </summary>
internal static class CredentialsCheck
{
    public static async Task<string?> ValidateAsync(SecretaryAgentOptions options, AWSCredentials? credentials, CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 2, Timeout = TimeSpan.FromSeconds(10) };
        if (options.EndpointUrl is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        using var sts = credentials is null ? new AmazonSecurityTokenServiceClient(config) : new AmazonSecurityTokenServiceClient(credentials, config);
        try
        {
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
            return identity.Arn;
        }
        catch (AmazonServiceException ex) when (options.IgnoreTransientErrors && IsTransient(ex))
        {
            return null;
        }
        catch (AmazonServiceException ex)
        {
            throw new AgentConfigurationException(
                $"The AWS credentials were refused by STS GetCallerIdentity ({ex.ErrorCode ?? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {ex.Message}); "
                + "fix them, or set validate_credentials = false.", ex);
        }
        catch (AmazonClientException ex) when (options.IgnoreTransientErrors && ex.InnerException is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
        catch (AmazonClientException ex)
        {
            throw new AgentConfigurationException($"The AWS credentials could not be checked with STS GetCallerIdentity: {ex.Message}", ex);
        }
    }

    private static bool IsTransient(AmazonServiceException error) =>
        error.StatusCode >= HttpStatusCode.InternalServerError || error.StatusCode == HttpStatusCode.TooManyRequests
        || error.ErrorCode is "Throttling" or "ThrottlingException" or "RequestLimitExceeded";
}
