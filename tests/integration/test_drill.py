"""`pgkeel drill` on a live formation: a switchover (and back) or a
forced failover with a client writing through the formation's URI, every
acknowledged row checked on the new primary, a report in text or JSON;
refused, with nothing changed, on a formation that is not fit for it."""

import json

from cluster import APP_PASSWORD, APP_USER, two_node_formation
from harness import wait_until


def drill(c, *args, check=True):
    ports = ",".join(str(n["port"]) for n in c.nodes.values())
    dsn = (f"host=127.0.0.1,127.0.0.1 port={ports} dbname=postgres "
           f"user={APP_USER} target_session_attrs=read-write")
    # the password as a client keeps it: not on the command line
    return c.h.pgkeel("drill", "--pgdata", c.monitor_dir, "--dsn", dsn,
                      *args, check=check, timeout=180,
                      env={"PGPASSWORD": APP_PASSWORD})


def wait_healthy(c):
    wait_until(lambda: "Formation default: healthy" in c.mon_pgkeel(
        "show", "state", "--pgdata", c.monitor_dir).stdout,
        what="a healthy formation")


def healthy_formation(h):
    c = two_node_formation(h)
    wait_healthy(c)
    return c


def drill_table_exists(c):
    return c.sql("SELECT to_regclass('pgkeel_drill') IS NOT NULL")[0][0]


def test_switchover_drill_and_back(h):
    c = healthy_formation(h)
    report = json.loads(drill(c, "--back", "--json").stdout)
    assert report["formation"] == "default"
    there, back = report["drills"]
    assert (there["kind"], there["from"], there["to"]) == \
        ("switchover", "a", "b")
    assert (back["from"], back["to"]) == ("b", "a")
    for d in (there, back):
        assert d["rows_acknowledged"] >= 40
        assert d["rows_lost"] == 0
        assert 0 < d["write_gap_s"] < 30
        assert 0 <= d["promotion_s"] <= d["done_s"]
        assert any(s["node"] == d["to"] and s["state"] == "primary"
                   for s in d["states"])
    assert c.primary() == "a"
    assert not drill_table_exists(c)
    # the text report names the same
    out = drill(c).stdout
    assert "switchover from a to b" in out
    assert "acknowledged, 0 lost" in out
    assert c.primary() == "b"


def test_failover_drill(h):
    c = healthy_formation(h)
    report = json.loads(drill(c, "--failover", "--json").stdout)
    (d,) = report["drills"]
    assert (d["kind"], d["from"], d["to"]) == ("failover", "a", "b")
    assert d["rows_lost"] == 0
    assert any(s["node"] == "a" and s["state"] == "secondary"
               for s in d["states"])  # the old primary rejoined
    c.wait_states({"a": "secondary", "b": "primary"})


def test_drill_refuses_a_formation_not_fit_for_it(h):
    c = healthy_formation(h)
    c.config("set", "formation.paused", "true")
    cp = drill(c, check=False)
    assert cp.returncode == 8
    assert "not ready for a drill" in cp.stderr and "paused" in cp.stderr
    c.config("set", "formation.paused", "false")
    h.pgkeel("enable", "maintenance", "--name", "b", "--pgdata",
             c.monitor_dir)
    c.wait_state("b", "maintenance")
    cp = drill(c, check=False)
    assert cp.returncode == 8
    assert "b is in maintenance" in cp.stderr
    assert c.primary() == "a"
    assert not drill_table_exists(c)
    h.pgkeel("disable", "maintenance", "--name", "b", "--pgdata",
             c.monitor_dir)
    c.wait_states({"a": "primary", "b": "secondary"})
    wait_healthy(c)
    # a client that cannot log in: said so, and no switchover
    cp = c.h.pgkeel("drill", "--pgdata", c.monitor_dir, "--dsn",
                    f"host=127.0.0.1 port={c.nodes['a']['port']} "
                    "dbname=postgres user=nobody", check=False)
    assert cp.returncode == 1
    assert "the drill's client cannot connect" in cp.stderr
    assert cp.stdout == ""
    assert not drill_table_exists(c)
    # a table of the drill's name that it did not create is left alone
    c.sql("CREATE TABLE pgkeel_drill (mine text); "
          "INSERT INTO pgkeel_drill VALUES ('keep')")
    cp = drill(c, check=False)
    assert cp.returncode == 1
    assert "already exists" in cp.stderr
    assert c.sql("SELECT mine FROM pgkeel_drill") == [("keep",)]
    assert c.primary() == "a"
