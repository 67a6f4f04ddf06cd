/*
 * test_restartpolicy.c - restart decisions for a crashed Postgres.
 */
#include "unit.h"

#include "pg/restartpolicy.h"

static void restarts_at_once_after_a_crash(void **state)
{
	Supervisor s;
	(void)state;

	supervisor_init(&s, 3);
	assert_int_equal(supervisor_step(&s, true, true, 0), SUPERVISE_NOTHING);
	assert_int_equal(supervisor_step(&s, false, true, 1000),
			 SUPERVISE_RESTART);
	supervisor_attempted(&s, true, 1000);
	assert_int_equal(supervisor_step(&s, true, true, 1500),
			 SUPERVISE_NOTHING);
}

static void leaves_a_stopped_server_alone(void **state)
{
	Supervisor s;
	(void)state;

	supervisor_init(&s, 3);
	assert_int_equal(supervisor_step(&s, false, false, 0),
			 SUPERVISE_NOTHING);
}

static void backs_off_then_gives_up(void **state)
{
	Supervisor s;
	int64_t now = 0;
	int restarts = 0;
	(void)state;

	supervisor_init(&s, 3);
	supervisor_step(&s, true, true, now);
	for (int i = 0; i < 100; i++) {
		now += 100;
		SuperviseAction a = supervisor_step(&s, false, true, now);
		if (a == SUPERVISE_GAVE_UP)
			break;
		if (a == SUPERVISE_RESTART) {
			restarts++;
			supervisor_attempted(&s, false, now);
			assert_true(s.next_try > now);
		}
	}
	assert_int_equal(supervisor_step(&s, false, true, now + 60000),
			 SUPERVISE_GAVE_UP);
	assert_int_equal(restarts, 3);
	supervisor_reset(&s);
	assert_int_equal(supervisor_step(&s, false, true, now),
			 SUPERVISE_RESTART);
}

static void a_stable_run_forgets_old_crashes(void **state)
{
	Supervisor s;
	(void)state;

	supervisor_init(&s, 1);
	supervisor_step(&s, true, true, 0);
	supervisor_step(&s, false, true, 100); /* crash 1 */
	supervisor_attempted(&s, true, 100);
	supervisor_step(&s, true, true, 100 + 31000); /* stable */
	assert_int_equal(s.failures, 0);
	assert_int_equal(supervisor_step(&s, false, true, 40000),
			 SUPERVISE_RESTART);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(restarts_at_once_after_a_crash),
	  cmocka_unit_test(leaves_a_stopped_server_alone),
	  cmocka_unit_test(backs_off_then_gives_up),
	  cmocka_unit_test(a_stable_run_forgets_old_crashes))
