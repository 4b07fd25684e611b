"""boto3 checks against the Secretary emulator.

Usage: python3 boto3_checks.py ENDPOINT CHECK   runs one check; prints "ok CHECK" and exits 0, or the failure and exits 1
       python3 boto3_checks.py ENDPOINT --all   runs every check, each on its own (a failure stops no other); prints one
                                                JSON line per check: {"check": NAME, "ok": true|false, "error": TEXT}
       python3 boto3_checks.py --list           prints every check name

Checks use expect()/expect_error(), never assert, so they hold under PYTHONOPTIMIZE. Each check makes its own secret
names (a random prefix), so checks can share one emulator process."""
import datetime
import json
import os
import sys
import traceback
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


def names(page):
    return [s["Name"] for s in page["SecretList"]]


@check
def filters_match_word_prefixes(c):
    sm = c.sm
    a, b = c.name("prod/AppBeta/x"), c.name("dev/app_gamma")
    sm.create_secret(Name=a, Description="one and two")
    sm.create_secret(Name=b, Description="three", Tags=[{"Key": "Team", "Value": "payments-core"}])
    mine = {"Key": "name", "Values": [c.prefix]}
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "all", "Values": ["AppBeta"]}])), [a], "all: AppBeta")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "name", "Values": ["Beta"]}])), [a], "name: Beta")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "name", "Values": ["beta"]}])), [], "name is case-sensitive")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "description", "Values": ["one two"]}])), [a], "description: one two")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "all", "Values": ["CORE"]}])), [b], "all: CORE")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "name", "Values": ["prod"]}, {"Key": "name", "Values": ["dev"]}])), [],
                 "two name filters are ANDed")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "tag-key", "Values": ["Te"]}])), [b], "tag-key prefix")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "tag-value", "Values": ["!payments"]}])), [a], "negated tag-value")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "primary-region", "Values": ["us-east-1"]}])), [a, b], "primary-region")
    expect_equal(names(sm.list_secrets(Filters=[mine, {"Key": "owning-service", "Values": ["rds"]}])), [], "owning-service")


@check
def list_secrets_oldest_first_and_sort_by(c):
    sm = c.sm
    created = [c.name(n) for n in ("b", "c", "a")]
    for n in created:
        sm.create_secret(Name=n, SecretString="v")
    mine = [{"Key": "name", "Values": [c.prefix]}]
    expect_equal(names(sm.list_secrets(Filters=mine)), created, "default order")
    expect_equal(names(sm.list_secrets(Filters=mine, SortOrder="desc")), created[::-1], "desc")
    expect_equal(names(sm.list_secrets(Filters=mine, SortBy="name")), sorted(created), "SortBy name")
    expect_equal(names(sm.list_secrets(Filters=mine, SortBy="name", SortOrder="desc")), sorted(created)[::-1], "SortBy name desc")
    expect_error("ValidationException", sm.list_secrets, SortBy="size", status=400,
                 message="1 validation error detected: Value 'size' at 'sortBy' failed to satisfy constraint: "
                         "Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]")


@check
def force_delete_of_unknown_secret_succeeds(c):
    name = c.name("never")
    deleted = c.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    expect_equal(deleted["Name"], name, "Name")
    expect(deleted["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-"), deleted["ARN"])
    expect(isinstance(deleted["DeletionDate"], datetime.datetime), "DeletionDate is a timestamp")
    error = expect_error("InvalidParameterException", c.sm.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True, RecoveryWindowInDays=3)
    expect("between 7 and 30" in error["Message"], error["Message"])


@check
def describe_leaves_out_members_without_value(c):
    name = c.name("bare")
    c.sm.create_secret(Name=name)
    described = c.sm.describe_secret(SecretId=name)
    for member in ("RotationEnabled", "PrimaryRegion", "VersionIdsToStages", "Tags", "ReplicationStatus", "RotationRules"):
        expect(member not in described, member + " present: " + repr(described))
    listed = c.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"][0]
    expect("SecretVersionsToStages" not in listed and "RotationEnabled" not in listed, repr(listed))
    c.sm.tag_resource(SecretId=name, Tags=[{"Key": "k", "Value": "v"}])
    c.sm.untag_resource(SecretId=name, TagKeys=["k"])
    expect_equal(c.sm.describe_secret(SecretId=name)["Tags"], [], "Tags after the last is removed")


@check
def first_version_pending_also_gets_current(c):
    name = c.name("pending")
    c.sm.create_secret(Name=name)
    put = c.sm.put_secret_value(SecretId=name, SecretString="v", VersionStages=["AWSPENDING"])
    expect_equal(sorted(put["VersionStages"]), ["AWSCURRENT", "AWSPENDING"], "stages of the first version")
    expect_equal(c.sm.get_secret_value(SecretId=name)["SecretString"], "v", "AWSCURRENT value")


@check
def same_token_other_value_is_resource_exists(c):
    name = c.name("token")
    token = str(uuid.uuid4())
    arn = c.sm.create_secret(Name=name, SecretString="one", ClientRequestToken=token)["ARN"]
    message = f"You can't use ClientRequestToken {token} because that value is already in use for a version of secret {arn}."
    expect_error("ResourceExistsException", c.sm.create_secret, Name=name, SecretString="two", ClientRequestToken=token, message=message)
    expect_error("ResourceExistsException", c.sm.put_secret_value, SecretId=name, SecretString="two", ClientRequestToken=token, message=message)
    expect_error("ResourceExistsException", c.sm.update_secret, SecretId=name, SecretString="two", ClientRequestToken=token, message=message)


@check
def random_password_space_is_optional(c):
    password = c.sm.get_random_password(PasswordLength=4, IncludeSpace=True)["RandomPassword"]
    expect_equal(len(password), 4, "length")
    expect(any(ch.islower() for ch in password) and any(ch.isupper() for ch in password) and any(ch.isdigit() for ch in password),
           repr(password))


@check
def validation_messages_name_value_and_index(c):
    expect_error("ValidationException", c.sm.list_secrets, Filters=[{"Key": "name", "Values": ["a"]}, {"Key": "invalid", "Values": ["b"]}],
                 message="1 validation error detected: Value 'invalid' at 'filters.2.member.key' failed to satisfy constraint: "
                         "Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, owning-service, all]")
    expect_error("ValidationException", c.sm.list_secrets, MaxResults=101,
                 message="1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
                         "Member must have value less than or equal to 100")


@check
def lone_surrogate_is_refused_and_nothing_stored(c):
    name = c.name("surrogate")
    expect_error("SerializationException", c.sm.create_secret, Name=name, SecretString="\ud800", status=400)
    expect_error("ResourceNotFoundException", c.sm.describe_secret, SecretId=name)


PRIVATE_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"},
                                                                      "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
PUBLIC_POLICY = json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}})


@check
def resource_policies(c):
    name = c.name("policy")
    arn = c.sm.create_secret(Name=name, SecretString="v")["ARN"]
    expect("ResourcePolicy" not in c.sm.get_resource_policy(SecretId=name), "no policy yet")
    expect_equal(c.sm.put_resource_policy(SecretId=name, ResourcePolicy=PRIVATE_POLICY, BlockPublicPolicy=True)["ARN"], arn, "ARN")
    expect_equal(c.sm.get_resource_policy(SecretId=name)["ResourcePolicy"], PRIVATE_POLICY, "stored policy")
    expect_error("PublicPolicyException", c.sm.put_resource_policy, SecretId=name, ResourcePolicy=PUBLIC_POLICY, BlockPublicPolicy=True, status=400)
    expect_error("MalformedPolicyDocumentException", c.sm.put_resource_policy, SecretId=name, ResourcePolicy="{nope",
                 message="This resource policy contains a syntax error.")
    passed = c.sm.validate_resource_policy(ResourcePolicy=PRIVATE_POLICY)
    expect_equal((passed["PolicyValidationPassed"], passed["ValidationErrors"]), (True, []), "private policy passes")
    failed = c.sm.validate_resource_policy(SecretId=name, ResourcePolicy=PUBLIC_POLICY)
    expect(failed["PolicyValidationPassed"] is False and len(failed["ValidationErrors"]) == 1, repr(failed))
    expect_equal(c.sm.delete_resource_policy(SecretId=name)["Name"], name, "Name")
    expect("ResourcePolicy" not in c.sm.get_resource_policy(SecretId=name), "policy deleted")
    expect_error("ResourceNotFoundException", c.sm.get_resource_policy, SecretId=c.name("missing"))


@check
def replication(c):
    name = c.name("replicated")
    created = c.sm.create_secret(Name=name, SecretString="one", AddReplicaRegions=[{"Region": "eu-west-1"}])
    expect_equal([(s["Region"], s["Status"]) for s in created["ReplicationStatus"]], [("eu-west-1", "InSync")], "ReplicationStatus")
    eu = c.client(region="eu-west-1")
    replica = eu.get_secret_value(SecretId=name)
    expect_equal(replica["SecretString"], "one", "replica value")
    expect_equal(replica["ARN"], created["ARN"].replace(":us-east-1:", ":eu-west-1:"), "replica ARN")
    expect_equal(eu.describe_secret(SecretId=name)["PrimaryRegion"], "us-east-1", "PrimaryRegion of the replica")
    expect_error("InvalidParameterException", eu.put_secret_value, SecretId=name, SecretString="x",
                 message="Operation not permitted on a replica secret. Call must be made in primary secret's region.")
    c.sm.put_secret_value(SecretId=name, SecretString="two")
    expect_equal(eu.get_secret_value(SecretId=name)["SecretString"], "two", "value written to the primary reaches the replica")
    added = c.sm.replicate_secret_to_regions(SecretId=name, AddReplicaRegions=[{"Region": "ap-south-1"}])
    expect_equal([s["Region"] for s in added["ReplicationStatus"]], ["eu-west-1", "ap-south-1"], "after ReplicateSecretToRegions")
    expect_error("InvalidParameterException", c.sm.replicate_secret_to_regions, SecretId=name, AddReplicaRegions=[{"Region": "us-east-1"}],
                 message="Invalid replica region.")
    removed = c.sm.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=["ap-south-1"])
    expect_equal([s["Region"] for s in removed["ReplicationStatus"]], ["eu-west-1"], "after RemoveRegionsFromReplication")
    expect_error("ResourceNotFoundException", c.client(region="ap-south-1").get_secret_value, SecretId=name)
    eu.stop_replication_to_replica(SecretId=name)
    expect("PrimaryRegion" not in eu.describe_secret(SecretId=name), "promoted replica is standalone")
    eu.put_secret_value(SecretId=name, SecretString="eu-own")
    expect_equal(c.sm.get_secret_value(SecretId=name)["SecretString"], "two", "primary unchanged")


@check
def cancel_rotate_secret_keeps_pending(c):
    name = c.name("cancel")
    c.sm.create_secret(Name=name, SecretString="v")
    c.sm.rotate_secret(SecretId=name, RotationRules={"AutomaticallyAfterDays": 7}, RotateImmediately=False)
    pending = c.sm.put_secret_value(SecretId=name, SecretString="w", VersionStages=["AWSPENDING"])["VersionId"]
    expect_equal(c.sm.cancel_rotate_secret(SecretId=name)["VersionId"], pending, "VersionId of the pending version")
    described = c.sm.describe_secret(SecretId=name)
    expect_equal(described["RotationEnabled"], False, "RotationEnabled")
    expect_equal(described["VersionIdsToStages"][pending], ["AWSPENDING"], "AWSPENDING kept")


@check
def type_and_external_rotation_metadata(c):
    name = c.name("typed")
    c.sm.create_secret(Name=name, SecretString="v", Type="SalesforceClientSecret")
    expect_equal(c.sm.describe_secret(SecretId=name)["Type"], "SalesforceClientSecret", "Type")
    c.sm.rotate_secret(SecretId=name, RotateImmediately=False, ExternalSecretRotationMetadata=[{"Key": "org", "Value": "acme"}],
                       ExternalSecretRotationRoleArn="arn:aws:iam::123456789012:role/partner")
    described = c.sm.describe_secret(SecretId=name)
    expect_equal(described["ExternalSecretRotationMetadata"], [{"Key": "org", "Value": "acme"}], "ExternalSecretRotationMetadata")
    expect_equal(described["ExternalSecretRotationRoleArn"], "arn:aws:iam::123456789012:role/partner", "ExternalSecretRotationRoleArn")
    listed = c.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"][0]
    expect_equal(listed["Type"], "SalesforceClientSecret", "Type in ListSecrets")


@check
def create_get_by_name_arn_partial_arn(c):
    name = c.name("get")
    created = c.sm.create_secret(Name=name, SecretString='{"user":"u","password":"p"}')
    arn = created["ARN"]
    expect(arn.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-"), arn)
    expect_equal(len(arn), len("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name) + 7, "ARN length")
    for secret_id in (name, arn, arn[:-7]):
        value = c.sm.get_secret_value(SecretId=secret_id)
        expect_equal((value["SecretString"], value["VersionId"], value["VersionStages"]),
                     ('{"user":"u","password":"p"}', created["VersionId"], ["AWSCURRENT"]), "value by " + secret_id)
        expect(isinstance(value["CreatedDate"], datetime.datetime) and value["CreatedDate"].year >= 2024, repr(value["CreatedDate"]))


@check
def put_and_get_by_version_id_and_stage(c):
    name = c.name("put")
    v1 = c.sm.create_secret(Name=name, SecretString="one")["VersionId"]
    v2 = c.sm.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
    expect_equal(c.sm.get_secret_value(SecretId=name)["SecretString"], "two", "AWSCURRENT")
    expect_equal(c.sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["VersionId"], v1, "AWSPREVIOUS")
    expect_equal(c.sm.get_secret_value(SecretId=name, VersionId=v1)["SecretString"], "one", "by version id")
    expect_equal(c.sm.get_secret_value(SecretId=name, VersionId=v2, VersionStage="AWSCURRENT")["SecretString"], "two", "id and stage")
    ids = {v["VersionId"]: sorted(v["VersionStages"]) for v in c.sm.list_secret_version_ids(SecretId=name)["Versions"]}
    expect_equal(ids, {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}, "ListSecretVersionIds")


@check
def binary_secret_and_its_rotation(c):
    name = c.name("bin")
    c.sm.create_secret(Name=name, SecretBinary=b"\x00\x01\xfe\xff")
    expect_equal(c.sm.get_secret_value(SecretId=name)["SecretBinary"], b"\x00\x01\xfe\xff", "SecretBinary")
    c.sm.rotate_secret(SecretId=name)
    rotated = c.sm.get_secret_value(SecretId=name)
    expect(len(rotated["SecretBinary"]) == 32 and "SecretString" not in rotated, "a binary secret rotates to 32 new bytes")


@check
def idempotent_client_request_token(c):
    name = c.name("idem")
    c.sm.create_secret(Name=name, SecretString="a")
    token = str(uuid.uuid4())
    first = c.sm.put_secret_value(SecretId=name, SecretString="b", ClientRequestToken=token)
    again = c.sm.put_secret_value(SecretId=name, SecretString="b", ClientRequestToken=token)
    expect_equal((first["VersionId"], again["VersionId"]), (token, token), "same token, same value")
    expect_equal(len(c.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]), 2, "no extra version")


@check
def batch_get_ids_errors_and_filters_paginated(c):
    for i in range(4):
        c.sm.create_secret(Name=c.name("batch/" + str(i)), SecretString=str(i))
    c.sm.delete_secret(SecretId=c.name("batch/3"))
    batch = c.sm.batch_get_secret_value(SecretIdList=[c.name("batch/0"), c.name("batch/1"), c.name("batch/missing")])
    expect_equal(sorted(v["SecretString"] for v in batch["SecretValues"]), ["0", "1"], "values")
    expect_equal([(e["SecretId"], e["ErrorCode"]) for e in batch["Errors"]], [(c.name("batch/missing"), "ResourceNotFoundException")], "errors")
    values, pages = [], 0
    kwargs = {"Filters": [{"Key": "name", "Values": [c.prefix + "batch"]}], "MaxResults": 2}
    while True:
        page = c.sm.batch_get_secret_value(**kwargs)
        pages += 1
        values += [v["SecretString"] for v in page["SecretValues"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    expect_equal((pages, values), (2, ["0", "1", "2"]), "filtered pages leave out the secret scheduled for deletion")


@check
def describe_and_list_secrets_paginator(c):
    for i in range(5):
        c.sm.create_secret(Name=c.name("list/" + str(i)), SecretString="v", Description="item " + str(i), Tags=[{"Key": "n", "Value": str(i)}])
    described = c.sm.describe_secret(SecretId=c.name("list/3"))
    expect_equal((described["Description"], described["Tags"]), ("item 3", [{"Key": "n", "Value": "3"}]), "DescribeSecret")
    expect_equal(list(described["VersionIdsToStages"].values()), [["AWSCURRENT"]], "VersionIdsToStages")
    pages = list(c.sm.get_paginator("list_secrets").paginate(Filters=[{"Key": "name", "Values": [c.prefix + "list"]}], PaginationConfig={"PageSize": 2}))
    expect_equal([[s["Name"] for s in p["SecretList"]] for p in pages],
                 [[c.name("list/0"), c.name("list/1")], [c.name("list/2"), c.name("list/3")], [c.name("list/4")]], "paginator pages, oldest first")
    limited = c.sm.get_paginator("list_secrets").paginate(Filters=[{"Key": "name", "Values": [c.prefix + "list"]}],
                                                         PaginationConfig={"PageSize": 2, "MaxItems": 3}).build_full_result()
    expect_equal(len(limited["SecretList"]), 3, "MaxItems")
    expect("NextToken" in limited, "a resume token after MaxItems")
    expect_error("InvalidNextTokenException", c.sm.list_secrets, NextToken="bm9wZQ==", status=400)


@check
def update_secret_and_version_stage(c):
    name = c.name("stage")
    v1 = c.sm.create_secret(Name=name, SecretString="one")["VersionId"]
    v2 = c.sm.put_secret_value(SecretId=name, SecretString="two", VersionStages=["AWSPENDING"])["VersionId"]
    expect_error("InvalidParameterException", c.sm.update_secret_version_stage, SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v2)
    c.sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v2, RemoveFromVersionId=v1)
    stages = c.sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    expect_equal((sorted(stages[v2]), stages[v1]), (["AWSCURRENT", "AWSPENDING"], ["AWSPREVIOUS"]), "stages")
    updated = c.sm.update_secret(SecretId=name, SecretString="three", Description="new")
    described = c.sm.describe_secret(SecretId=name)
    expect_equal((described["Description"], described["VersionIdsToStages"][updated["VersionId"]]), ("new", ["AWSCURRENT"]), "UpdateSecret")


@check
def rotate_secret_built_in(c):
    name = c.name("rotate")
    v1 = c.sm.create_secret(Name=name, SecretString='{"username":"u","password":"p"}')["VersionId"]
    v2 = c.sm.rotate_secret(SecretId=name, RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
    current = c.sm.get_secret_value(SecretId=name)
    expect(current["VersionId"] == v2 != v1, "new AWSCURRENT")
    body = json.loads(current["SecretString"])
    expect(body["username"] == "u" and body["password"] != "p" and len(body["password"]) == 32, repr(body))
    expect_equal(c.sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["VersionId"], v1, "AWSPREVIOUS")
    described = c.sm.describe_secret(SecretId=name)
    expect(described["RotationEnabled"] is True, "RotationEnabled")
    days = (described["NextRotationDate"] - described["LastRotatedDate"]).total_seconds() / 86400
    expect(abs(days - 30) < 0.001, "NextRotationDate 30 days on: " + str(days))
    later = c.name("later")
    c.sm.create_secret(Name=later, SecretString="v")
    not_now = c.sm.rotate_secret(SecretId=later, RotationRules={"ScheduleExpression": "rate(10 days)"}, RotateImmediately=False)
    expect("VersionId" not in not_now, "RotateImmediately=false writes no version")
    described = c.sm.describe_secret(SecretId=later)
    expect("LastRotatedDate" not in described and "NextRotationDate" in described, repr(described))
    expect_equal(c.sm.get_secret_value(SecretId=later)["SecretString"], "v", "value unchanged")


@check
def rotation_function_failed_set_secret_resumed(c):
    users = os.environ.get("ROTATION_USERS_FILE")
    expect(users, "ROTATION_USERS_FILE must name the sample function's users file")
    user = "u" + uuid.uuid4().hex[:8]
    name = c.name("fn")
    v1 = c.sm.create_secret(Name=name, SecretString=json.dumps({"username": user, "password": "first"}))["VersionId"]
    first = c.sm.rotate_secret(SecretId=name, RotationLambdaARN="arn:aws:lambda:us-east-1:123456789012:function:single-user")["VersionId"]
    stages = c.sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    expect_equal((stages[v1], stages[first]), (["AWSCURRENT"], ["AWSPENDING"]), "after the failed setSecret")
    service = json.load(open(users, encoding="utf-8")) if os.path.exists(users) else {}
    service[user] = "first"
    with open(users, "w", encoding="utf-8") as f:
        json.dump(service, f)
    expect_equal(c.sm.rotate_secret(SecretId=name)["VersionId"], first, "the same version is resumed")
    stages = c.sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    expect_equal((stages[first], stages[v1]), (["AWSCURRENT"], ["AWSPREVIOUS"]), "after the resumed rotation")
    password = json.loads(c.sm.get_secret_value(SecretId=name)["SecretString"])["password"]
    expect_equal(json.load(open(users, encoding="utf-8"))[user], password, "the service has the new password")


@check
def delete_restore_and_default_recovery_window(c):
    name = c.name("delete")
    c.sm.create_secret(Name=name, SecretString="v")
    expect_error("InvalidParameterException", c.sm.delete_secret, SecretId=name, RecoveryWindowInDays=5, status=400)
    deleted = c.sm.delete_secret(SecretId=name)
    days = (deleted["DeletionDate"] - c.sm.describe_secret(SecretId=name)["DeletedDate"]).total_seconds() / 86400
    expect(abs(days - 30) < 0.001, "default recovery window of 30 days: " + str(days))
    expect_error("InvalidRequestException", c.sm.get_secret_value, SecretId=name, status=400)
    listed = [s["Name"] for s in c.sm.list_secrets(IncludePlannedDeletion=True, Filters=[{"Key": "name", "Values": [name]}])["SecretList"]]
    expect_equal(listed, [name], "IncludePlannedDeletion")
    expect_equal(c.sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"], [], "hidden from ListSecrets")
    c.sm.restore_secret(SecretId=name)
    expect_equal(c.sm.get_secret_value(SecretId=name)["SecretString"], "v", "restored")
    c.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    c.sm.restore_secret(SecretId=name)
    c.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    expect_error("ResourceNotFoundException", c.sm.describe_secret, SecretId=name, status=400)


@check
def tag_untag(c):
    name = c.name("tags")
    c.sm.create_secret(Name=name, SecretString="v")
    c.sm.tag_resource(SecretId=name, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    c.sm.untag_resource(SecretId=name, TagKeys=["a"])
    expect_equal(c.sm.describe_secret(SecretId=name)["Tags"], [{"Key": "b", "Value": "2"}], "Tags")


@check
def get_random_password(c):
    password = c.sm.get_random_password(PasswordLength=50, ExcludeNumbers=True, ExcludePunctuation=True)["RandomPassword"]
    expect(len(password) == 50 and password.isalpha(), password)
    expect_error("InvalidParameterException", c.sm.get_random_password, PasswordLength=3)


@check
def error_codes(c):
    expect_error("ResourceNotFoundException", c.sm.get_secret_value, SecretId=c.name("nope"), status=400, message="Secrets Manager can't find the specified secret.")
    expect_error("InvalidParameterException", c.sm.create_secret, Name="bad name", SecretString="v", status=400)
    expect_error("ValidationException", c.sm.get_secret_value, SecretId="x" * 2049, status=400)


@check
def bad_signature(c):
    expect_error("InvalidSignatureException", c.client(secret_key="wrong").list_secrets, status=403)
    expect_error("UnrecognizedClientException", c.client(access_key="AKIAUNKNOWN").list_secrets, status=403)


@check
def region_from_credential_scope(c):
    eu = c.client(region="eu-west-3")
    arn = eu.create_secret(Name=c.name("region"), SecretString="eu")["ARN"]
    expect(arn.startswith("arn:aws:secretsmanager:eu-west-3:"), arn)
    expect_error("ResourceNotFoundException", c.sm.get_secret_value, SecretId=c.name("region"))
    expect_equal(eu.get_secret_value(SecretId=arn)["SecretString"], "eu", "by ARN in its region")


def main(argv, checks=None, context=None, doc=None):
    """Runs the checks of a check script (this one by default) as its usage says."""
    checks = CHECKS if checks is None else checks
    context = Context if context is None else context
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(sorted(checks)))
        return 0
    if len(argv) == 3 and argv[2] == "--all":
        for name in sorted(checks):
            try:
                checks[name](context(argv[1]))
                print(json.dumps({"check": name, "ok": True}), flush=True)
            except Exception:  # each check's failure is its own result
                print(json.dumps({"check": name, "ok": False, "error": traceback.format_exc()}), flush=True)
        return 0
    if len(argv) != 3 or argv[2] not in checks:
        print(doc or __doc__, file=sys.stderr)
        return 2
    checks[argv[2]](context(argv[1]))
    print("ok " + argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
