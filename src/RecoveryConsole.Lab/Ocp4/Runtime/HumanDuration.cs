using System.Globalization;

namespace RecoveryConsole.Lab.Ocp4.Runtime;

/// <summary>Go's docker/go-units HumanDuration, as crictl prints CREATED ("About a minute ago").</summary>
internal static class HumanDuration
{
    public static string Ago(TimeSpan d) => Format(d) + " ago";

    public static string Format(TimeSpan d)
    {
        var seconds = (int)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (int)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (int)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return ((int)d.TotalHours / 24 / 365).ToString(CultureInfo.InvariantCulture) + " years";
    }
}
