using Microsoft.Extensions.Options;

namespace Secretary.Hosting.Internals;

/// <summary>Reports every problem of <see cref="SecretaryOptions"/> at once.</summary>
internal sealed class SecretaryOptionsValidator : IValidateOptions<SecretaryOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretaryOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => "Secretary: " + p));
    }
}
