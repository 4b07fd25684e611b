namespace Secretary.Emulator.Internals;

/// <summary>A rotation function: runs one step of a rotation for the event it is given.</summary>
internal abstract class RotationFunction
{
    protected RotationFunction(string name) => Name = name;

    /// <summary>Gets the function's name (what a <c>RotationLambdaARN</c> names).</summary>
    public string Name { get; }

    /// <summary>Runs one step; returns null on success, else what failed (the function's own words, never logged).</summary>
    /// <param name="rotationEvent">The event, as Secrets Manager sends it to a rotation Lambda.</param>
    /// <param name="region">The secret's region (a command's <c>AWS_REGION</c>).</param>
    /// <param name="cancellationToken">Ends when the step times out or the emulator stops.</param>
    public abstract Task<string?> InvokeAsync(RotationEvent rotationEvent, string region, CancellationToken cancellationToken);
}
