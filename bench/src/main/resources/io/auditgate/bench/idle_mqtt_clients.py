"""Opens many idle MQTT 3.1.1 connections over mutual TLS and holds them until told to close.

Run by io.auditgate.bench.IdleConnections, outside the JVM so that the broker under test is the only
thing in its process. Usage:

  idle_mqtt_clients.py HOST PORT CA_FILE CERT_DIR ID_PREFIX COUNT CONCURRENCY

Device i (0-based) connects with CERT_DIR/ID_PREFIX{i:05d}.crt/.key and that id as client id.
Prints "READY ok=N failed=M first_error=..." on stdout once every attempt has finished, then waits
for a line on stdin (or its end) and closes everything.
"""

import asyncio
import ssl
import sys


def connect_packet(client_id: str, keep_alive: int) -> bytes:
    cid = client_id.encode()
    variable = b"\x00\x04MQTT\x04\x02" + keep_alive.to_bytes(2, "big")
    payload = len(cid).to_bytes(2, "big") + cid
    remaining = len(variable) + len(payload)
    encoded = bytearray()
    while True:
        byte = remaining % 128
        remaining //= 128
        encoded.append(byte | 0x80 if remaining else byte)
        if not remaining:
            break
    return b"\x10" + bytes(encoded) + variable + payload


async def main() -> None:
    host, port, ca, cert_dir, prefix = sys.argv[1:6]
    count, concurrency = int(sys.argv[6]), int(sys.argv[7])
    gate = asyncio.Semaphore(concurrency)
    writers = []
    failures = []

    async def open_one(i: int) -> None:
        device = f"{prefix}{i:05d}"
        async with gate:
            try:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.load_verify_locations(ca)
                ctx.load_cert_chain(f"{cert_dir}/{device}.crt", f"{cert_dir}/{device}.key")
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, int(port), ssl=ctx, server_hostname="localhost"),
                    30,
                )
                writer.write(connect_packet(device, 1200))
                await writer.drain()
                connack = await asyncio.wait_for(reader.readexactly(4), 30)
                if connack[0] != 0x20 or connack[3] != 0:
                    raise RuntimeError(f"CONNACK {connack.hex()}")
                writers.append((reader, writer))
            except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                failures.append(f"{device}: {type(e).__name__} {e}")
        if (i + 1) % 1000 == 0:
            print(f"idle clients: {len(writers)} open, {len(failures)} failed", file=sys.stderr,
                  flush=True)

    await asyncio.gather(*(open_one(i) for i in range(count)))
    first = failures[0].replace("\n", " ") if failures else ""
    print(f"READY ok={len(writers)} failed={len(failures)} first_error={first}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    for _, writer in writers:
        writer.close()
    print("CLOSED", flush=True)


asyncio.run(main())
