using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Secretary.Scenarios;

/// <summary>Scenario time in seconds: simulated with a fake clock, or real time run faster.</summary>
internal abstract class SimClock
{
    public abstract double Now { get; }

    /// <summary>The clock to hand a cache that takes one; null when the cache reads the wall clock.</summary>
    public abstract TimeProvider? Provider { get; }

    /// <summary>How many scenario seconds pass per real second (1 for a fake clock, which does not run).</summary>
    public abstract double Scale { get; }

    public abstract void AdvanceTo(double seconds);

    /// <summary>A <see cref="FakeTimeProvider"/>: time moves only when the scenario advances it.</summary>
    public sealed class Fake : SimClock
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        private readonly DateTimeOffset _start;

        public Fake() => _start = _time.GetUtcNow();

        public override double Now => (_time.GetUtcNow() - _start).TotalSeconds;

        public override TimeProvider Provider => _time;

        public override double Scale => 1;

        public override void AdvanceTo(double seconds)
        {
            var delta = TimeSpan.FromSeconds(seconds) - (_time.GetUtcNow() - _start);
            if (delta > TimeSpan.Zero)
            {
                _time.Advance(delta);
            }
        }
    }

    /// <summary>
    /// Real time, <paramref name="scale"/> times faster: for a cache that reads the wall clock
    /// itself (FusionCache), its durations divided by the same factor.
    /// </summary>
    public sealed class Compressed(double scale) : SimClock
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        public override double Now => Stopwatch.GetElapsedTime(_start).TotalSeconds * scale;

        public override TimeProvider? Provider => null;

        public override double Scale => scale;

        public override void AdvanceTo(double seconds)
        {
            var realTarget = seconds / scale;
            while (true)
            {
                var left = realTarget - Stopwatch.GetElapsedTime(_start).TotalSeconds;
                if (left <= 0)
                {
                    return;
                }

                if (left > 0.002)
                {
                    Thread.Sleep(1);
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }
        }
    }
}
