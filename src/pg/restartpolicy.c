/*
 * restartpolicy.c - restart decisions for a crashed Postgres.
 */
#include "pg/restartpolicy.h"

void supervisor_init(Supervisor *s, int max_retries)
{
	s->max_retries = max_retries;
	s->stable_ms = 30000;
	s->backoff_ms = 500;
	supervisor_reset(s);
}

void supervisor_reset(Supervisor *s)
{
	s->failures = 0;
	s->up_since = -1;
	s->next_try = 0;
	s->clearing_since = -1;
	s->cleared_by_kill = false;
	s->launching = false;
}

SuperviseAction supervisor_step(Supervisor *s, bool running, bool should_run,
				int64_t now_ms)
{
	if (running) {
		if (s->up_since < 0)
			s->up_since = now_ms;
		if (now_ms - s->up_since >= s->stable_ms)
			s->failures = 0;
		return SUPERVISE_NOTHING;
	}
	if (s->up_since >= 0) {
		/* it just went down: a crash, unless it ran long enough */
		if (now_ms - s->up_since < s->stable_ms)
			s->failures++;
		else
			s->failures = 0;
		s->up_since = -1;
	}
	if (!should_run)
		return SUPERVISE_NOTHING;
	if (s->failures > s->max_retries)
		return SUPERVISE_GAVE_UP;
	if (now_ms < s->next_try)
		return SUPERVISE_WAIT;
	return SUPERVISE_RESTART;
}

void supervisor_attempted(Supervisor *s, bool started, int64_t now_ms)
{
	int64_t delay = s->backoff_ms;

	s->clearing_since = -1;
	s->cleared_by_kill = false;
	if (started) {
		s->up_since = now_ms;
		s->next_try = 0;
		return;
	}
	s->failures++;
	for (int i = 1; i < s->failures && delay < 8000; i++)
		delay *= 2;
	s->next_try = now_ms + delay;
}
