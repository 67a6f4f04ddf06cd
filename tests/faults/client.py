"""The fault suite's client: run inside the client's namespace, it inserts
rows with increasing ids through the formation's multi-host URI and
appends one line per acknowledged commit to a file:

    <id> <CLOCK_MONOTONIC seconds> <server address>

An id whose commit raised an error or timed out is never reused (its
outcome is unknown). libpq's connect_timeout bounds each host of the URI;
a statement still running after 5 s has its socket shut down by a
watchdog, as robust applications do, so that a frozen server cannot hold
the client forever. Stops on SIGTERM.
    client.py DSN TABLE OUTFILE"""

import os
import signal
import socket
import sys
import threading
import time

import psycopg2

DEADLINE_S = 5
stop = False


def on_term(signo, frame):
    global stop
    stop = True


def shut(fd):
    try:
        s = socket.socket(fileno=os.dup(fd))
        s.shutdown(socket.SHUT_RDWR)
        s.close()
    except OSError:
        pass


def insert(conn, table, row_id):
    timer = threading.Timer(DEADLINE_S, shut, (conn.fileno(),))
    timer.start()
    try:
        with conn.cursor() as cur:
            cur.execute(f"INSERT INTO {table} (id) VALUES (%s) "
                        "RETURNING host(inet_server_addr())", (row_id,))
            return cur.fetchone()[0]
    finally:
        timer.cancel()


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
            server = insert(conn, table, next_id)
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
