# Opens COUNT idle TCP connections to 127.0.0.1:PORT and holds them until killed.
import socket, sys, time, errno
port, count = int(sys.argv[1]), int(sys.argv[2])
held, refused = [], 0
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    except OSError:
        refused += 1
        s.close()
        continue
    held.append(s)
print(f"READY {len(held)} opened, {refused} refused", flush=True)
while True:
    time.sleep(3600)
