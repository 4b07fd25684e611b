using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cronos;

namespace Secretary.Emulator.Internals;

/// <summary>
/// When a secret rotates next, from its <c>RotationRules</c>: <c>AutomaticallyAfterDays</c> (N days after the last
/// rotation), or a <c>ScheduleExpression</c> — <c>rate(N days)</c>, <c>rate(N hours)</c> or AWS's six-field
/// <c>cron(minutes hours day-of-month month day-of-week year)</c> in UTC. A <c>Duration</c> window starts at the scheduled
/// time; the emulator rotates at its start.
/// </summary>
internal static partial class RotationSchedule
{
    /// <summary>Returns why the rules are invalid, or null.</summary>
    public static string? Problem(long? afterDays, string? expression, string? duration)
    {
        if (afterDays is not null && expression is not null)
        {
            return "You can't specify both AutomaticallyAfterDays and ScheduleExpression.";
        }

        if (duration is not null && (!DurationPattern().IsMatch(duration) || int.Parse(duration[..^1], CultureInfo.InvariantCulture) is < 1 or > 24))
        {
            return "The Duration must be between 1h and 24h.";
        }

        return expression is null || TryNext(expression, DateTimeOffset.UnixEpoch, out _) ? null : $"Invalid ScheduleExpression: {expression}. Use rate(N days), rate(N hours) or cron(minutes hours day-of-month month day-of-week year).";
    }

    /// <summary>The next rotation after <paramref name="from"/> for stored rules, or null when the rules schedule none.</summary>
    public static DateTimeOffset? Next(string? rulesJson, DateTimeOffset from)
    {
        if (rulesJson is null || JsonNode.Parse(rulesJson) is not JsonObject rules)
        {
            return null;
        }

        if (rules["AutomaticallyAfterDays"] is JsonValue days && days.TryGetValue<long>(out var n))
        {
            return from.AddDays(n);
        }

        return rules["ScheduleExpression"] is JsonValue value && value.TryGetValue<string>(out var expression) && TryNext(expression, from, out var next)
            ? next
            : null;
    }

    private static bool TryNext(string expression, DateTimeOffset from, out DateTimeOffset next)
    {
        next = default;
        var rate = RatePattern().Match(expression);
        if (rate.Success)
        {
            var count = int.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            var hours = rate.Groups[2].Value.StartsWith("hour", StringComparison.Ordinal);
            if (count < 1 || (hours && count is < 4 or > 23) || (!hours && count > 1000))
            {
                return false;
            }

            next = hours ? from.AddHours(count) : from.AddDays(count);
            return true;
        }

        var cron = CronPattern().Match(expression);
        if (!cron.Success)
        {
            return false;
        }

        var fields = cron.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            return false;
        }

        try
        {
            // AWS numbers days of the week 1-7 from Sunday; cron (and Cronos) 0-6.
            var dayOfWeek = DayNumber().Replace(fields[4], m => (int.Parse(m.Value, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture));
            var parsed = CronExpression.Parse(string.Join(' ', fields[0], fields[1], fields[2], fields[3], dayOfWeek));
            var years = fields[5];
            var at = from;
            for (var i = 0; i < 1000; i++)
            {
                var candidate = parsed.GetNextOccurrence(at.UtcDateTime, TimeZoneInfo.Utc);
                if (candidate is null)
                {
                    return false;
                }

                if (YearMatches(years, candidate.Value.Year))
                {
                    next = new DateTimeOffset(candidate.Value, TimeSpan.Zero);
                    return true;
                }

                at = new DateTimeOffset(candidate.Value, TimeSpan.Zero);
            }

            return false;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    private static bool YearMatches(string field, int year) => field == "*" || field.Split(',').Any(part =>
    {
        var range = part.Split('-');
        return range.Length switch
        {
            1 => int.TryParse(range[0], CultureInfo.InvariantCulture, out var only) ? only == year : throw new CronFormatException("year"),
            2 => int.TryParse(range[0], CultureInfo.InvariantCulture, out var low) && int.TryParse(range[1], CultureInfo.InvariantCulture, out var high)
                ? year >= low && year <= high
                : throw new CronFormatException("year"),
            _ => throw new CronFormatException("year"),
        };
    });

    [GeneratedRegex(@"^rate\((\d+) (days?|hours?)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^cron\((.+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CronPattern();

    [GeneratedRegex(@"(?<![#\d])[1-7](?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DayNumber();

    [GeneratedRegex(@"^[0-9]+h$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
