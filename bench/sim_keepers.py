"""Simulated keepers for the monitor scale benchmark (bench/monitor_scale.py).

Registers FORMATIONS x PER nodes with the monitor's store and then, every
500 ms like real keepers, reports for each node the state the monitor
assigned as reached, with Postgres running, standbys streaming from
their assigned upstream and in sync. Each node also gets a port on which
a tiny server answers the monitor's health checks the way Postgres does
for the health-check role: it declines TLS, accepts the login, and
answers each empty query; the monitor keeps that connection open.

    sim_keepers.py SOCKDIR PORT FORMATIONS PER READY_FILE
"""

import asyncio
import struct
import sys
import threading
import time

import psycopg2

SSL_OR_GSS_REQUEST = (80877103, 80877104)


def message(kind, body=b""):
    return kind + struct.pack("!I", len(body) + 4) + body


def parameter(name, value):
    return message(b"S", name + b"\0" + value + b"\0")


READY = message(b"Z", b"I")
LOGGED_IN = (message(b"R", struct.pack("!I", 0)) +
             parameter(b"server_version", b"15.0") +
             parameter(b"client_encoding", b"UTF8") +
             parameter(b"standard_conforming_strings", b"on") +
             parameter(b"DateStyle", b"ISO, MDY") +
             message(b"K", struct.pack("!II", 1, 1)) + READY)
EMPTY_QUERY = message(b"I") + READY


async def startup(reader, writer):
    """Reads the startup packet, declining TLS or GSS requests first."""
    while True:
        header = await reader.readexactly(4)
        body = await reader.readexactly(struct.unpack("!I", header)[0] - 4)
        if struct.unpack("!I", body[:4])[0] not in SSL_OR_GSS_REQUEST:
            return
        writer.write(b"N")


async def answer(reader, writer):
    try:
        await startup(reader, writer)
        writer.write(LOGGED_IN)
        await writer.drain()
        while True:
            kind = await reader.readexactly(1)
            size = struct.unpack("!I", await reader.readexactly(4))[0]
            await reader.readexactly(size - 4)
            if kind == b"X":
                break
            if kind == b"Q":
                writer.write(EMPTY_QUERY)
                await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()


async def serve(count, ports):
    servers = []
    for _ in range(count):
        srv = await asyncio.start_server(answer, "127.0.0.1", 0)
        servers.append(srv)
        ports.append(srv.sockets[0].getsockname()[1])
    await asyncio.Event().wait()


def register(conn, formations, per, ports):
    nodes = []
    with conn.cursor() as cur:
        for f in range(formations):
            for n in range(per):
                port = ports[f * per + n]
                # the rows and the role a registration makes
                # (src/store/pgstore_register.c), in one transaction
                cur.execute("BEGIN")
                cur.execute("INSERT INTO pgkeel.formation (name)"
                            " VALUES (%s) ON CONFLICT DO NOTHING",
                            (f"f{f}",))
                cur.execute("INSERT INTO pgkeel.node (formation, name,"
                            " host, port) VALUES (%s, %s, '127.0.0.1', %s)"
                            " RETURNING id", (f"f{f}", f"n{n}", port))
                node_id = cur.fetchone()[0]
                cur.execute("SELECT pgkeel.create_node_role(%s)",
                            (node_id,))
                cur.execute("COMMIT")
                nodes.append((node_id, port))
    return nodes


# What pgkeel.report() writes for a node, for every simulated node in one
# statement: the function itself takes each node's own login role, and a
# thousand sessions would measure the simulation, not the monitor. A
# report that changes something wakes the monitor, as report() does.
REPORT = """
WITH r AS (
  UPDATE pgkeel.node n SET reported_state = n.goal_state,
    pg_running = true, pg_failed = false,
    in_recovery = n.goal_state IN ('wait_standby', 'catchingup',
                                   'secondary', 'prepare_promotion'),
    lsn = '0/3000000', timeline = 1,
    receiver_streaming = n.goal_state IN ('catchingup', 'secondary',
                                          'prepare_promotion'),
    upstream_host = coalesce(
      (SELECT u.host FROM pgkeel.node u WHERE u.id = n.upstream_id), ''),
    upstream_port = coalesce(
      (SELECT u.port FROM pgkeel.node u WHERE u.id = n.upstream_id), 0),
    pending_restart = false, fenced = false,
    report_seq = n.report_seq + 1, report_time = clock_timestamp()
  WHERE n.id = ANY(%s)
  RETURNING n.formation,
    (SELECT o.reported_state FROM pgkeel.node o WHERE o.id = n.id)
      IS DISTINCT FROM n.goal_state AS changed)
SELECT pg_notify('pgkeel_report', formation)
FROM (SELECT DISTINCT formation FROM r WHERE changed) c
"""


def report_loop(conn, nodes):
    ids = [n[0] for n in nodes]
    while True:
        start = time.monotonic()
        with conn.cursor() as cur:
            cur.execute(REPORT, (ids,))
        time.sleep(max(0.0, 0.5 - (time.monotonic() - start)))


def main():
    sockdir, port, formations, per, ready = sys.argv[1:6]
    formations, per = int(formations), int(per)
    ports = []
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_until_complete,
                     args=(serve(formations * per, ports),),
                     daemon=True).start()
    while len(ports) < formations * per:
        time.sleep(0.05)
    conn = psycopg2.connect(host=sockdir, port=port, dbname="pgkeel")
    conn.autocommit = True
    nodes = register(conn, formations, per, ports)
    with open(ready, "w") as f:
        f.write(f"{len(nodes)}\n")
    report_loop(conn, nodes)


if __name__ == "__main__":
    main()
