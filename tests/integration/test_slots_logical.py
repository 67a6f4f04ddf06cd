"""Permanent logical slots (pgkeel config set slots.NAME
logical:PLUGIN:DATABASE): created on the primary, copied to the standby
(its Postgres restarted once to load the copy, without a failover) and
advanced there to the primary's confirmed position; a pg_recvlogical
consumer finds its slot on the new primary after the old one crashed,
and receives every change it had not confirmed; on the postgres store
and on an etcd store, where each node publishes its copy under its own
key (docs/etcd.md)."""

import json
import os
import re

import pytest

from cluster import two_node_formation
from etcd import both_stores
from harness import wait_until

STORES = both_stores()

SLOT = "cdc"
KIND = "logical:test_decoding:postgres"
USER = "cdcreader"
PASSWORD = "cdc-reader-secret"


def lsn(text):
    hi, lo = text.split("/")
    return (int(hi, 16) << 32) | int(lo, 16)


def node_sql(c, node, sql):
    return c.h.psql(c.sock, c.nodes[node]["port"], sql)


def logical_slot(c, node):
    """(confirmed_flush_lsn, active) of the logical slot on node, or None
    when it is not there."""
    out = node_sql(c, node, "SELECT confirmed_flush_lsn, active FROM"
                   " pg_replication_slots WHERE slot_type = 'logical'"
                   f" AND slot_name = '{SLOT}'")
    if not out:
        return None
    confirmed, active = out.split("|")
    return lsn(confirmed), active == "t"


def start_recvlogical(h, c, out):
    """pg_recvlogical through the formation's multi-host URI (read-write
    only), confirming at once, as a replication role of its own."""
    passfile = h.path("cdc.pgpass")
    with open(passfile, "w") as f:
        f.write(f"*:*:*:{USER}:{PASSWORD}\n")
    os.chmod(passfile, 0o600)
    if h.user:
        os.chown(passfile, h.user.pw_uid, h.user.pw_gid)
    return h.start(f"recvlogical-{os.path.basename(out)}", [
        "/usr/bin/pg_recvlogical", "--start", "-S", SLOT, "-f", out,
        "-F", "0", "-s", "1", "-d", c.formation_uri(), "--verbose"],
        env={"PGPASSFILE": passfile, "PGUSER": USER})


def received(path):
    """The row numbers inserted into cdc_rows that path shows."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return set()
    return {int(m) for m in
            re.findall(r"table public\.cdc_rows: INSERT: i\[integer\]:(\d+)",
                       text)}


def insert(c, node, first, last):
    for i in range(first, last + 1):  # one transaction each
        node_sql(c, node, f"INSERT INTO cdc_rows VALUES ({i})")


def published(c, node):
    """What node published of the slot to the etcd store (its own key),
    or None."""
    node_id = c.state()[node]["node_id"]
    text = c.etcd.get(f"/f/default/nodes/{node_id}/r/slots/{SLOT}")
    return json.loads(text) if text else None


@pytest.mark.parametrize("store", STORES)
def test_a_logical_slot_keeps_its_consumer_going_across_a_failover(h, store):
    c = two_node_formation(h, store=store)
    node_sql(c, "a", "CREATE TABLE cdc_rows (i int PRIMARY KEY)")
    node_sql(c, "a", f"CREATE ROLE {USER} LOGIN REPLICATION"
             f" PASSWORD '{PASSWORD}'")
    out = c.config("set", f"slots.{SLOT}", KIND).stdout
    assert f"slots.{SLOT} = {KIND}" in out
    assert c.config("get", f"slots.{SLOT}").stdout.strip() == KIND
    assert c.show("a", "wal_level") == "logical"
    wait_until(lambda: logical_slot(c, "a") is not None, timeout=40,
               what="the logical slot on a")
    # b loads the primary's copy at a restart of its Postgres
    wait_until(lambda: logical_slot(c, "b") is not None, timeout=60,
               what="b's copy of the logical slot")
    assert c.show("b", "hot_standby_feedback") == "on"
    c.wait_states({"a": "primary", "b": "secondary"})
    if store == "etcd":  # the slot's state file, Postgres's magic first
        assert published(c, "a")["state"].startswith("a11c0501")
        assert published(c, "b") is None
    assert not any(e["description"].startswith("failover")
                   for e in c.events()), c.events()

    first_out = h.path("cdc-1.out")
    consumer = start_recvlogical(h, c, first_out)
    insert(c, "a", 1, 20)
    wait_until(lambda: set(range(1, 21)) <= received(first_out),
               timeout=40, what="rows 1-20 decoded by the consumer")
    wait_until(lambda: logical_slot(c, "a")[0] >= lsn(node_sql(
        c, "a", "SELECT pg_current_wal_flush_lsn()")) - 1024 * 1024,
        timeout=30, what="the consumer to confirm its position")
    h.stop(consumer)
    confirmed = logical_slot(c, "a")[0]

    # b's copy follows the primary's slot, never ahead of it
    def copy_caught_up():
        mine = logical_slot(c, "b")[0]
        assert mine <= logical_slot(c, "a")[0]
        return mine >= confirmed
    wait_until(copy_caught_up, timeout=60,
               what="b's copy to reach the consumer's confirmed position")

    # committed after the consumer stopped, before the crash
    insert(c, "a", 21, 30)
    end = lsn(node_sql(c, "a", "SELECT pg_current_wal_flush_lsn()"))
    wait_until(lambda: lsn(node_sql(
        c, "b", "SELECT pg_last_wal_replay_lsn()")) >= end,
        what="b to replay rows 21-30")

    c.kill_node("a")
    wait_until(lambda: c.primary() == "b" and node_sql(
        c, "b", "SELECT pg_is_in_recovery()") == "f", timeout=60,
        what="b to be promoted")
    promoted = logical_slot(c, "b")
    assert promoted is not None
    assert promoted[0] <= confirmed, (promoted, confirmed)
    if store == "etcd":  # the new primary publishes its own
        wait_until(lambda: published(c, "b") is not None, timeout=30,
                   what="b to publish its slot")
    insert(c, "b", 31, 40)

    second_out = h.path("cdc-2.out")
    consumer = start_recvlogical(h, c, second_out)
    wait_until(lambda: set(range(21, 41)) <= received(second_out),
               timeout=60, what="rows 21-40 decoded from b's slot")
    got = received(second_out)
    assert set(range(21, 41)) <= got, sorted(got)
    h.stop(consumer)


def test_logical_slot_declarations_are_checked_and_removed(h):
    c = two_node_formation(h)
    for value in ("logical", "logical:test_decoding",
                  "logical:test-decoding:postgres",
                  "logical:test_decoding:postgres:x"):
        cp = c.config("set", "slots.cdc", value, check=False)
        assert cp.returncode == 8, (value, cp.stderr)
        assert "PLUGIN:DATABASE" in cp.stderr, (value, cp.stderr)
    # a slot pgkeel did not declare stays
    node_sql(c, "a", "SELECT pg_create_logical_replication_slot("
             "'mine', 'test_decoding')")
    c.config("set", "slots.cdc", "logical:pgoutput:postgres")
    settings = h.pgkeel_json("show", "settings", "--pgdata", c.monitor_dir)
    assert settings["slots"] == {"cdc": "logical:pgoutput:postgres"}
    wait_until(lambda: logical_slot(c, "b") is not None, timeout=60,
               what="b's copy of the logical slot")
    assert node_sql(c, "a", "SELECT plugin FROM pg_replication_slots"
                    f" WHERE slot_name = '{SLOT}'") == "pgoutput"
    # published by the primary: its node id, and the slot's state file
    # (Postgres's slot magic first)
    row = c.monitor_sql("SELECT s.copy_node = n.id, left(s.state, 8)"
                        " FROM pgkeel.slot s JOIN pgkeel.node n"
                        f" ON n.name = 'a' WHERE s.name = '{SLOT}'")
    assert row == "t|a11c0501", row
    # only a node's own credential publishes, and only for itself
    try:
        c.monitor_sql("SELECT pgkeel.publish_slot(1, 'cdc', '0/1', 'ab')")
        raise AssertionError("publish_slot accepted from another role")
    except AssertionError as e:
        assert "credential" in str(e), e
    c.config("unset", f"slots.{SLOT}")
    for n in ("a", "b"):
        wait_until(lambda: logical_slot(c, n) is None, timeout=40,
                   what=f"slot {SLOT} dropped on {n}")
    assert node_sql(c, "a", "SELECT count(*) FROM pg_replication_slots"
                    " WHERE slot_name = 'mine'") == "1"
