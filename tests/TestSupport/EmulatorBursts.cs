using Secretary.Emulator;

namespace Secretary.Testing;

/// <summary>Deterministic bursts of injected errors, by choosing the seed of the emulator's random source.</summary>
public static class EmulatorBursts
{
    /// <summary>Calls that follow a burst and must succeed (a retry, the SDK's next attempts).</summary>
    private const int SuccessesAfter = 3;

    /// <summary>
    /// Installs an error rate of 0.5 on <paramref name="operation"/> whose first <paramref name="failures"/> draws fail
    /// and the next three succeed: a burst of exactly that many errors for sequential calls.
    /// </summary>
    public static void SetBurst(EmulatorServer emulator, string operation, string errorType, int failures)
    {
        for (var seed = 0; seed < 100_000; seed++)
        {
            var random = new Random(seed);
            var ok = true;
            for (var i = 0; i < failures && ok; i++)
            {
                ok = random.NextDouble() < 0.5;
            }

            for (var i = 0; i < SuccessesAfter && ok; i++)
            {
                ok = random.NextDouble() >= 0.5;
            }

            if (ok)
            {
                emulator.SetFaults(new EmulatorFaults
                {
                    RandomSeed = seed,
                    Operations = { [operation] = new EmulatorFaultRule { ErrorRate = 0.5, ErrorType = errorType } },
                });
                return;
            }
        }

        throw new InvalidOperationException("No seed gives that burst.");
    }
}
