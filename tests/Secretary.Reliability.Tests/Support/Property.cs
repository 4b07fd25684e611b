using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace Secretary.Reliability.Tests;

/// <summary>
/// Runs a property over generated cases so that the whole run is fixed by one printed seed. CsCheck's own
/// <c>seed:</c> fixes only the first case; here every case comes, in order, from one PCG stream started at the run's
/// seed, and each case's own seed is the stream's state before it (so one case replays alone). A failing case is
/// shrunk deterministically by the caller's shrinker and reported with both seeds.
/// </summary>
/// <remarks>
/// <c>SECRETARY_PROPERTY_SEED=&lt;seed&gt;</c> replays a whole run (<c>random</c> starts a new one and prints its seed);
/// <c>SECRETARY_PROPERTY_CASE=&lt;case seed&gt;</c> runs one case; <c>SECRETARY_PROPERTY_CASES=&lt;n&gt;</c> changes how many.
/// Without them the property's own seed and case count are used, so two runs generate the same cases: the printed
/// fingerprint (SHA-256 of every printed case) shows it.
/// </remarks>
internal static class Property
{
    public const string SeedVariable = "SECRETARY_PROPERTY_SEED";
    public const string CaseVariable = "SECRETARY_PROPERTY_CASE";
    public const string CountVariable = "SECRETARY_PROPERTY_CASES";

    /// <summary>At most this many re-runs are spent shrinking a failing case.</summary>
    private const int ShrinkBudget = 400;

    public static async Task ForAllAsync<T>(
        ITestOutputHelper output,
        string name,
        string seed,
        int cases,
        Gen<T> gen,
        Func<T, Task> check,
        Func<T, string> print,
        Func<T, IEnumerable<T>>? shrink = null)
    {
        var single = Environment.GetEnvironmentVariable(CaseVariable) is { Length: > 0 } one ? one : null;
        seed = Environment.GetEnvironmentVariable(SeedVariable) switch
        {
            "random" => new PCG((uint)Random.Shared.Next(1, 1 << 20), (ulong)Random.Shared.NextInt64()).ToString(),
            { Length: > 0 } given => given,
            _ => seed,
        };
        if (int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var count) && count > 0)
        {
            cases = count;
        }

        var pcg = PCG.Parse(single ?? seed);
        cases = single is null ? cases : 1;
        output.WriteLine(single is null
            ? $"{name}: seed {seed}, {cases} cases. Replay: {SeedVariable}={seed}"
            : $"{name}: one case, seed {single}");

        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var index = 0; index < cases; index++)
        {
            var caseSeed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            var printed = print(value);
            fingerprint.AppendData(Encoding.UTF8.GetBytes(printed + "\n"));
            var failure = await FailureOfAsync(check, value);
            if (failure is null)
            {
                continue;
            }

            var (smallest, smallestFailure, tries) = await ShrinkAsync(value, failure, check, shrink);
            throw new PropertyFailedException(
                $"{name} failed on case {index + 1} of {cases}.\n" +
                $"Run seed: {seed} ({SeedVariable}={seed})\n" +
                $"Case seed: {caseSeed} ({CaseVariable}={caseSeed})\n" +
                $"Case: {printed}\n" +
                (tries > 0 ? $"Shrunk ({tries} re-runs): {print(smallest)}\n" : string.Empty) +
                $"Failure: {smallestFailure.Message}",
                smallestFailure);
        }

        output.WriteLine($"{name}: {cases} cases passed; cases fingerprint {Convert.ToHexStringLower(fingerprint.GetHashAndReset())[..16]}");
    }

    /// <summary>Shrinks an operation sequence: drops runs of operations, longest first, while the case still fails.</summary>
    public static IEnumerable<TOp[]> ShrinkSequence<TOp>(TOp[] ops)
    {
        for (var size = ops.Length / 2; size >= 1; size /= 2)
        {
            for (var start = 0; start + size <= ops.Length; start += size)
            {
                yield return [.. ops[..start], .. ops[(start + size)..]];
            }
        }
    }

    private static async Task<Exception?> FailureOfAsync<T>(Func<T, Task> check, T value)
    {
        try
        {
            await check(value);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static async Task<(T Value, Exception Failure, int Tries)> ShrinkAsync<T>(T value, Exception failure, Func<T, Task> check, Func<T, IEnumerable<T>>? shrink)
    {
        var tries = 0;
        if (shrink is null)
        {
            return (value, failure, tries);
        }

        var improved = true;
        while (improved && tries < ShrinkBudget)
        {
            improved = false;
            foreach (var candidate in shrink(value))
            {
                if (++tries > ShrinkBudget)
                {
                    break;
                }

                if (await FailureOfAsync(check, candidate) is { } smaller)
                {
                    (value, failure, improved) = (candidate, smaller, true);
                    break;
                }
            }
        }

        return (value, failure, tries);
    }

    private sealed class PropertyFailedException(string message, Exception inner) : Exception(message, inner);
}
