"""A delaying TCP relay for the fault suite (this kernel has no netem).
Run as root inside a host's namespace, after iptables REDIRECTs that
host's TCP traffic to it: connections coming in (nat PREROUTING) and going
out from the servers' user (nat OUTPUT, owner match) arrive here; the
relay reads the original destination (SO_ORIGINAL_DST), connects to it
itself (as root, so its own connections are not redirected) and forwards
every chunk in each direction after DELAY_MS, in order.
    delay_relay.py PORT DELAY_MS"""

import asyncio
import socket
import struct
import sys

SO_ORIGINAL_DST = 80


def original_dst(sock):
    raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port = struct.unpack("!H", raw[2:4])[0]
    return socket.inet_ntoa(raw[4:8]), port


async def pump(reader, writer, delay):
    """Copies reader to writer, each chunk delay seconds late."""
    queue = asyncio.Queue()
    loop = asyncio.get_running_loop()

    async def send():
        while True:
            due, data = await queue.get()
            await asyncio.sleep(max(0, due - loop.time()))
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(send())
    try:
        while True:
            data = await reader.read(65536)
            await queue.put((loop.time() + delay, data or None))
            if not data:
                break
    except (ConnectionError, OSError):
        await queue.put((loop.time(), None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def handle(reader, writer, delay):
    host, port = original_dst(writer.get_extra_info("socket"))
    try:
        up_reader, up_writer = await asyncio.open_connection(host, port)
    except OSError:
        writer.close()
        return
    await asyncio.gather(pump(reader, up_writer, delay),
                         pump(up_reader, writer, delay))


async def main():
    port, delay = int(sys.argv[1]), int(sys.argv[2]) / 1000
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, delay), "0.0.0.0", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
