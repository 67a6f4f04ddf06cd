"""The fault suite's client: run inside the client's namespace, it inserts
rows with increasing ids through the formation's multi-host URI and
appends one line per acknowledged commit to a file:

    <id> <CLOCK_MONOTONIC seconds> <server address>

An id whose commit raised an error is never reused (its outcome is
unknown). Stops on SIGTERM.
    client.py DSN TABLE OUTFILE"""

import signal
import sys
import time

import psycopg2

stop = False


def on_term(signo, frame):
    global stop
    stop = True


def main():
    dsn, table, path = sys.argv[1:4]
    signal.signal(signal.SIGTERM, on_term)
    out = open(path, "a", buffering=1)
    conn, next_id = None, 1
    while not stop:
        try:
            if conn is None:
                conn = psycopg2.connect(dsn)
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("SET statement_timeout = '3s'")
            with conn.cursor() as cur:
                cur.execute(f"INSERT INTO {table} (id) VALUES (%s) "
                            "RETURNING host(inet_server_addr())", (next_id,))
                server = cur.fetchone()[0]
            out.write(f"{next_id} {time.monotonic():.3f} {server}\n")
        except psycopg2.Error:
            try:
                conn.close()
            except Exception:
                pass
            conn = None
            time.sleep(0.05)
        next_id += 1
        time.sleep(0.01)
    out.close()


if __name__ == "__main__":
    main()
