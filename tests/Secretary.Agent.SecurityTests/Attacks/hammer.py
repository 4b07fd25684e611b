# Sends COUNT requests for PATH without a token over keep-alive connections, reading every answer; prints the statuses.
import socket, sys, collections
port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
statuses = collections.Counter()
batch = 100
request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
sent = 0
while sent < count:
    n = min(batch, count - sent)
    s.sendall(request * n)
    for _ in range(n):
        status = f.readline().split()[1].decode()
        length = 0
        while True:
            line = f.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        f.read(length)
        statuses[status] += 1
    sent += n
print("DONE " + " ".join(f"{k}x{v}" for k, v in sorted(statuses.items())), flush=True)
