using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace RecoveryConsole.Audit.Storage;

/// <summary>
/// SQLite has no DateTimeOffset type and EF Core cannot compare or order the TEXT it would store.
/// Every DateTimeOffset is stored as UTC ticks (INTEGER), so date filters and ORDER BY run in SQL.
/// The offset is not kept: values come back in UTC, equal (same instant) to what was saved.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

/// <summary>
/// Change tracking to match <see cref="UtcTicksConverter"/>: two values are equal when they are the same instant.
/// EF Core's default comparer also compares offsets, which would make every reloaded (UTC) value look changed.
/// </summary>
public sealed class UtcInstantComparer() : ValueComparer<DateTimeOffset>(
    (a, b) => a.UtcTicks == b.UtcTicks,
    value => value.UtcTicks.GetHashCode(),
    value => value);
