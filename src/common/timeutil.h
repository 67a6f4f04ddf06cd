/*
 * timeutil.h - clocks and durations.
 *
 * Monotonic milliseconds for timeouts and intervals (immune to wall clock
 * changes); wall-clock milliseconds for what is stored and shown to people.
 * Durations in settings accept "250ms", "5s", "2min" or a bare number of
 * milliseconds.
 */
#ifndef PGK_TIMEUTIL_H
#define PGK_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* time_monotonic_ms, time_monotonic_us, time_wall_ms: the clock's time;
 * they cannot fail (CLOCK_MONOTONIC and CLOCK_REALTIME always exist). */
int64_t time_monotonic_ms(void);
int64_t time_monotonic_us(void);
int64_t time_wall_ms(void);
/* Sleeps: true when the whole time passed, false when a signal
 * interrupted the sleep (or ms was negative). */
bool time_sleep_ms(int64_t ms);
/* Parses a duration into milliseconds; false on malformed input. */
bool duration_parse_ms(const char *text, int64_t *out);
/* Formats as "1.5s", "250ms", "2min" into buf; returns buf, never NULL. */
char *duration_format(int64_t ms, char *buf, size_t len);
/*
 * A point in time as people write it for a scheduled operation, into
 * wall-clock ms: RFC 3339 / ISO 8601 with a time zone
 * ("2026-11-30T16:05:00Z", "2026-11-30 17:05:00+01:00", fractions of a
 * second allowed), or relative to now_ms: "+" and a duration ("+90s",
 * "+5m", "+2min", "+1h"). False on anything else (a time without a zone
 * is ambiguous).
 */
bool time_parse_at(const char *text, int64_t now_ms, int64_t *out);
/* "2026-11-22 10:11:12" in local time, into buf; returns buf, never
 * NULL. */
char *time_format_wall(int64_t wall_ms, char *buf, size_t len);

#endif
