namespace Secretary.Emulator.Internals;

/// <summary>One rotation to run: the secret, the version token it creates (or resumes), the function and the event's RotationToken.</summary>
internal sealed record RotationPlan(string Region, string Arn, string Token, RotationFunction Function, string RotationToken);
