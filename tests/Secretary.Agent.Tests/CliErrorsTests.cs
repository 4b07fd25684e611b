using Secretary.Cli.Commands;

namespace Secretary.Agent.Tests;

/// <summary>The CLI's one place that turns a failure into one line and an exit code, with failures no command expects.</summary>
public sealed class CliErrorsTests
{
    private static async Task<(int Code, string Line)> RunAsync(Exception failure)
    {
        using var error = new StringWriter();
        var code = await CliErrors.RunAsync(() => throw failure, error);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return (code, line.TrimEnd('\r'));
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_line_saying_what_happened_and_what_to_do_with_exit_1()
    {
        var (code, line) = await RunAsync(new NullReferenceException("Object reference not set to an instance of an object.\n   at Somewhere()"));

        Assert.Equal(1, code);
        Assert.Equal("error: unexpected NullReferenceException: Object reference not set to an instance of an object.    at Somewhere(); please report it with the command you ran.", line);
    }

    [Fact]
    public async Task An_argument_error_has_no_parameter_suffix_and_is_a_usage_error()
    {
        var (code, line) = await RunAsync(new ArgumentException("The spec 'x' names no store.", "spec"));

        Assert.Equal(2, code);
        Assert.Equal("error: The spec 'x' names no store.", line);
    }

    [Theory]
    [InlineData(SecretErrorCategory.NotFound, 3)]
    [InlineData(SecretErrorCategory.InvalidRequest, 4)]
    [InlineData(SecretErrorCategory.InvalidParameter, 5)]
    [InlineData(SecretErrorCategory.Format, 6)]
    [InlineData(SecretErrorCategory.StoreUnavailable, 7)]
    [InlineData(SecretErrorCategory.AccessDenied, 8)]
    public void Every_category_has_its_code_and_the_help_lists_it(SecretErrorCategory category, int code)
    {
        Assert.Equal(code, CliErrors.ExitCode(category));
        Assert.Contains(CliErrors.ExitCodes, entry => entry.Code == code);
    }
}
