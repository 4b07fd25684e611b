"""boto3 checks against the Secretary emulator.

Usage: python3 boto3_checks.py ENDPOINT CHECK   runs one check; prints "ok CHECK" and exits 0, or the failure and exits 1
       python3 boto3_checks.py --list           prints every check name

Checks use expect()/expect_error(), never assert, so they hold under PYTHONOPTIMIZE. Each check makes its own secret
names (a random prefix), so checks can share one emulator process."""
import base64
import datetime
import json
import sys
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

CHECKS = {}


def check(fn):
    CHECKS[fn.__name__] = fn
    return fn


def expect(condition, message="expectation failed"):
    if not condition:
        raise AssertionError(message)


def expect_equal(actual, expected, what="value"):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def expect_error(code, call, *args, status=None, message=None, **kwargs):
    """Calls and expects a ClientError with this code (and status, and message when given); returns the error."""
    try:
        call(*args, **kwargs)
    except ClientError as e:
        error = e.response["Error"]
        expect_equal(error["Code"], code, "error code of " + call.__name__)
        if status is not None:
            expect_equal(e.response["ResponseMetadata"]["HTTPStatusCode"], status, "status of " + call.__name__)
        if message is not None:
            expect_equal(error.get("Message"), message, "message of " + call.__name__)
        return error
    raise AssertionError(f"expected {code} from {call.__name__}")


class Context:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.prefix = "boto3-" + uuid.uuid4().hex[:8] + "/"
        self.sm = self.client()

    def client(self, service="secretsmanager", secret_key="test", access_key="test", region="us-east-1"):
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )

    def name(self, suffix):
        return self.prefix + suffix


@check
def sts_get_caller_identity(c):
    identity = c.client("sts").get_caller_identity()
    expect_equal(identity["Account"], "123456789012", "Account")
    expect_equal(identity["Arn"], "arn:aws:iam::123456789012:root", "Arn")
    expect_equal(identity["UserId"], "123456789012", "UserId")
    expect(identity["ResponseMetadata"]["RequestId"], "a RequestId")


@check
def sts_invalid_credentials(c):
    expect_error("SignatureDoesNotMatch", c.client("sts", secret_key="wrong").get_caller_identity, status=403)
    expect_error("InvalidClientTokenId", c.client("sts", access_key="AKIAUNKNOWN").get_caller_identity, status=403,
                 message="The security token included in the request is invalid.")


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(sorted(CHECKS)))
        return 0
    if len(argv) != 3 or argv[2] not in CHECKS:
        print(__doc__, file=sys.stderr)
        return 2
    CHECKS[argv[2]](Context(argv[1]))
    print("ok " + argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
