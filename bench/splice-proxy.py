"""The native floor for bench/stream.ts: the cheapest proxy hop this machine can make.

Each connection's request is passed upstream as it came, then the answer moves from the upstream
socket to the client's through a pipe with splice(2): the kernel never copies the bytes into this
process, and Python's own cost is a few system calls per MiB. One thread per connection; a
connection ends when upstream closes. Prints "listening <port>" once ready.

    python3 bench/splice-proxy.py <upstream port>
"""
import fcntl
import os
import socket
import sys
import threading

CHUNK = 1 << 20
F_SETPIPE_SZ = 1031


def serve(client: socket.socket, upstream_port: int) -> None:
    try:
        with socket.create_connection(('127.0.0.1', upstream_port)) as upstream:
            upstream.sendall(client.recv(65536))
            read_end, write_end = os.pipe()
            try:
                fcntl.fcntl(write_end, F_SETPIPE_SZ, CHUNK)
                while (moved := os.splice(upstream.fileno(), write_end, CHUNK)) > 0:
                    while moved > 0:
                        moved -= os.splice(read_end, client.fileno(), moved)
            finally:
                os.close(read_end)
                os.close(write_end)
    except OSError:
        pass  # the client left early: the bench reads only what it asked for
    finally:
        client.close()


def main() -> None:
    if not hasattr(os, 'splice'):
        sys.exit('this Python has no os.splice (needs 3.10 on Linux)')
    upstream_port = int(sys.argv[1])
    server = socket.create_server(('127.0.0.1', 0))
    print(f'listening {server.getsockname()[1]}', flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, upstream_port), daemon=True).start()


main()
