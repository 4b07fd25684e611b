#!/usr/bin/env python3
"""A single-user password rotation function for `secretary emulator --rotation-function`.

Written in the spirit of AWS's published single-user rotation templates: the secret is a JSON object with at least
"username" and "password"; the four steps are

  createSecret  put a new password as AWSPENDING (skipped when that version already exists, so a retry resumes)
  setSecret     change the user's password in the service (it must accept the pending, current or previous password)
  testSecret    log in to the service with the pending password
  finishSecret  move AWSCURRENT to the new version

The "service" here is a JSON file of user -> password (ROTATION_USERS_FILE, default users.json beside this script),
standing in for a database: replace UsersFile with a real client (log in, ALTER USER ... PASSWORD) to rotate one.

Run it two ways:
  as a command:  secretary emulator --rotation-function single-user=cmd:samples/RotationFunction/single_user_rotation.py
                 (the event comes on stdin; the emulator's endpoint and credentials in the environment; exit 0 = success)
  over HTTP:     python3 single_user_rotation.py --serve 8123 --endpoint http://127.0.0.1:4566
                 secretary emulator --rotation-function single-user=http://127.0.0.1:8123/
                 (each step's event is POSTed as JSON; 200 = success, 500 with the reason = failure)
"""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rotation_protocol  # noqa: E402

EXCLUDED_CHARACTERS = "/@\"'\\"


class UsersFile:
    """The stand-in service: a JSON file of user -> password. A missing file is a service that cannot be reached."""

    def __init__(self, path):
        self.path = path

    def _read(self):
        if not os.path.exists(self.path):
            raise RuntimeError("the service cannot be reached (no users file at " + self.path + ")")
        with open(self.path, encoding="utf-8") as f:
            return json.load(f)

    def login(self, user, password):
        return self._read().get(user) == password

    def set_password(self, user, password):
        users = self._read()
        users[user] = password
        temp = self.path + ".tmp"
        with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
            json.dump(users, f)
        os.replace(temp, self.path)


def secret_dict(client, arn, stage, token=None):
    kwargs = {"SecretId": arn, "VersionStage": stage}
    if token:
        kwargs["VersionId"] = token
    value = json.loads(client.get_secret_value(**kwargs)["SecretString"])
    for key in ("username", "password"):
        if key not in value:
            raise KeyError(f"the secret has no {key} key")
    return value


def create_secret(client, service, arn, token):
    current = secret_dict(client, arn, "AWSCURRENT")
    try:
        secret_dict(client, arn, "AWSPENDING", token)
        return  # already created by an earlier attempt: resume
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    current["password"] = client.get_random_password(ExcludeCharacters=EXCLUDED_CHARACTERS)["RandomPassword"]
    client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current), VersionStages=["AWSPENDING"])


def set_secret(client, service, arn, token):
    pending = secret_dict(client, arn, "AWSPENDING", token)
    user = pending["username"]
    if service.login(user, pending["password"]):
        return  # set by an earlier attempt
    candidates = [secret_dict(client, arn, "AWSCURRENT")]
    try:
        candidates.append(secret_dict(client, arn, "AWSPREVIOUS"))
    except ClientError:
        pass
    if not any(service.login(user, c["password"]) for c in candidates):
        raise RuntimeError("cannot log in as " + user + " with the current or previous password")
    service.set_password(user, pending["password"])


def test_secret(client, service, arn, token):
    pending = secret_dict(client, arn, "AWSPENDING", token)
    if not service.login(pending["username"], pending["password"]):
        raise RuntimeError("cannot log in as " + pending["username"] + " with the pending password")


def finish_secret(client, service, arn, token):
    rotation_protocol.finish_secret(client, arn, token)


STEPS = {"createSecret": create_secret, "setSecret": set_secret, "testSecret": test_secret, "finishSecret": finish_secret}


def handle(event, endpoint):
    """Runs one step of a rotation, as a rotation Lambda's handler does."""
    client = boto3.client("secretsmanager", endpoint_url=endpoint)
    arn, token, step = rotation_protocol.check_event(client, event)
    if step not in STEPS:
        raise ValueError("unknown step " + step)
    users = os.environ.get("ROTATION_USERS_FILE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "users.json")
    STEPS[step](client, UsersFile(users), arn, token)


def main(argv):
    endpoint = rotation_protocol.endpoint_from(argv)
    if len(argv) >= 3 and argv[1] == "--serve":
        rotation_protocol.serve(int(argv[2]), lambda event: handle(event, endpoint))
        return 0
    return rotation_protocol.run_command(lambda event: handle(event, os.environ.get("SECRETS_MANAGER_ENDPOINT")))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
