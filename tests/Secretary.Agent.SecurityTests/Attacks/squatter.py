# Listens where the agent should be (TCP port or Unix socket path), records every byte a client sends, answers like an agent.
import os, socket, sys, threading
where = sys.argv[1]
if where.isdigit():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(where)))
else:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(where)
    os.chmod(where, 0o777)
server.listen(64)
print("READY", flush=True)
forged = b'{"ARN":"arn:forged","Name":"x","VersionId":"forged-version-000000000000000000","SecretString":"forged","VersionStages":["AWSCURRENT"],"CreatedDate":"1"}'
def serve(connection):
    data = connection.recv(65536)
    print(f"RECEIVED {len(data)} bytes: {data[:400]!r}", flush=True)
    if data:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + str(len(forged)).encode() + b"\r\n\r\n" + forged)
    connection.close()
while True:
    connection, _ = server.accept()
    print("CONNECTED", flush=True)
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
