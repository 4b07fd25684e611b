"""What every rotation function for `secretary emulator --rotation-function` shares: the checks a rotation Lambda makes
on each event, finishSecret, and the two ways the emulator calls a function (a command with the event on stdin, or an
HTTP server the events are POSTed to)."""
import http.server
import json
import os
import sys


def check_event(client, event):
    """Refuses an event for a secret whose rotation is off, or a version the secret does not have (as AWS's templates do)."""
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    metadata = client.describe_secret(SecretId=arn)
    if metadata.get("RotationEnabled") is False:
        raise RuntimeError("rotation is not enabled for the secret")
    if token not in metadata.get("VersionIdsToStages", {}) and step != "createSecret":
        raise RuntimeError("the secret has no version " + token)
    return arn, token, step


def finish_secret(client, arn, token):
    """Moves AWSCURRENT to the new version (nothing to do when it is there already)."""
    stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    current = next(v for v, labels in stages.items() if "AWSCURRENT" in labels)
    if current != token:
        client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)


def option(argv, name, default=None):
    return argv[argv.index(name) + 1] if name in argv and argv.index(name) + 1 < len(argv) else default


def endpoint_from(argv):
    return option(argv, "--endpoint") or os.environ.get("SECRETS_MANAGER_ENDPOINT")


def serve(port, handle, description="rotation function"):
    """Answers each POSTed event: 200 when handle(event) returns, 500 with the reason when it raises."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, every answer with its Content-Length

        def do_POST(self):
            event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            try:
                handle(event)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except Exception as e:  # the failure is the answer, not a crash of the server
                body = f"{event.get('Step')} failed: {e}".encode()
                self.send_response(500)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"{description} listening on http://127.0.0.1:{server.server_port}/", flush=True)
    server.serve_forever()


def run_command(handle):
    """The command form: the event on stdin; exit code 0 when handle(event) returns, 1 with the reason on stderr."""
    event = json.load(sys.stdin)
    try:
        handle(event)
    except Exception as e:
        print(f"{event.get('Step')} failed: {e}", file=sys.stderr)
        return 1
    return 0
