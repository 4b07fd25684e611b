# Opens COUNT connections, each pipelining REQUESTS copies of "GET PATH" without ever reading an answer; holds them until killed.
import socket, sys, time
port, count, requests, path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode() * requests
held = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.setblocking(False)
    try:
        s.send(request)
    except BlockingIOError:
        pass
    held.append(s)
print(f"READY {len(held)}", flush=True)
while True:
    time.sleep(3600)
