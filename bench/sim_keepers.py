"""Simulated keepers for the monitor scale benchmark (bench/monitor_scale.py).

Registers FORMATIONS x PER nodes with the monitor's store and then, every
500 ms like real keepers, reports for each node the state the monitor
assigned as reached, with Postgres running, standbys streaming from
their assigned upstream and in sync. Each node also gets a port on which
a tiny server answers the monitor's connection tests the way Postgres
does when the role is not allowed (an authentication error), which the
monitor counts as "up".

    sim_keepers.py SOCKDIR PORT FORMATIONS PER READY_FILE
"""

import asyncio
import struct
import sys
import threading
import time

import psycopg2

ERROR = b"SFATAL\0C28P01\0Mpassword authentication failed for user\0\0"


async def answer(reader, writer):
    try:
        header = await reader.readexactly(4)
        await reader.readexactly(struct.unpack("!I", header)[0] - 4)
        writer.write(b"E" + struct.pack("!I", len(ERROR) + 4) + ERROR)
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
                cur.execute("SELECT node_id, secret FROM pgkeel.register_node"
                            "(%s, %s, '127.0.0.1', %s, 50, true)",
                            (f"f{f}", f"n{n}", port))
                node_id, secret = cur.fetchone()
                nodes.append((node_id, secret, port))
    return nodes


REPORT = """
SELECT pgkeel.report(n.id, s.secret, n.goal_state, true, false,
  n.goal_state IN ('wait_standby', 'catchingup', 'secondary',
                   'prepare_promotion'),
  '0/3000000', 1,
  n.goal_state IN ('catchingup', 'secondary', 'prepare_promotion'),
  coalesce(u.host, ''), coalesce(u.port, 0), false, false, 0, 0)
FROM pgkeel.node n JOIN unnest(%s::int[], %s::text[]) s(id, secret)
  ON s.id = n.id
LEFT JOIN pgkeel.node u ON u.id = n.upstream_id
"""


def report_loop(conn, nodes):
    ids = [n[0] for n in nodes]
    secrets = [n[1] for n in nodes]
    while True:
        start = time.monotonic()
        with conn.cursor() as cur:
            cur.execute(REPORT, (ids, secrets))
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
