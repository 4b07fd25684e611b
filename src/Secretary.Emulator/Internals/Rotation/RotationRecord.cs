namespace Secretary.Emulator.Internals;

/// <summary>One rotation the emulator ran (<c>GET /_emulator/rotations</c>): which secret, which function, how it ended.</summary>
internal sealed record RotationRecord(
    string Arn,
    string Token,
    string Function,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    bool Succeeded,
    string? FailedStep,
    string? Error);
