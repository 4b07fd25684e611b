"""boto3 against the Secretary emulator. Usage: python3 boto3_conformance.py ENDPOINT

Runs every check, prints one JSON line {"passed": [...]} and exits 0; any failed check raises (exit 1).
The C# test (Boto3ConformanceTests) asserts the exit code and the list of checks that passed."""
import base64
import json
import sys
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
prefix = "boto3-" + uuid.uuid4().hex[:8] + "/"
passed = []


def client(secret_key="test", access_key="test", region="us-east-1"):
    return boto3.client(
        "secretsmanager",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


sm = client()


def check(name):
    def register(fn):
        fn()
        passed.append(name)
        return fn
    return register


def error_code(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("expected a ClientError from " + call.__name__)


@check("create_get_by_name_arn_partial_arn")
def _():
    name = prefix + "get"
    created = sm.create_secret(Name=name, SecretString='{"user":"u","password":"p"}')
    arn = created["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-"), arn
    assert len(arn) == len("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name) + 7
    for secret_id in (name, arn, arn[:-7]):
        value = sm.get_secret_value(SecretId=secret_id)
        assert value["SecretString"] == '{"user":"u","password":"p"}'
        assert value["VersionId"] == created["VersionId"]
        assert value["VersionStages"] == ["AWSCURRENT"]
        # botocore parsed the epoch-seconds number into a datetime.
        assert value["CreatedDate"].year >= 2024, value["CreatedDate"]


@check("put_and_get_by_version_id_and_stage")
def _():
    name = prefix + "put"
    v1 = sm.create_secret(Name=name, SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "two"
    assert sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["VersionId"] == v1
    assert sm.get_secret_value(SecretId=name, VersionId=v1)["SecretString"] == "one"
    assert sm.get_secret_value(SecretId=name, VersionId=v2, VersionStage="AWSCURRENT")["SecretString"] == "two"
    ids = {v["VersionId"]: sorted(v["VersionStages"]) for v in sm.list_secret_version_ids(SecretId=name)["Versions"]}
    assert ids == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}, ids


@check("binary_secret")
def _():
    name = prefix + "bin"
    sm.create_secret(Name=name, SecretBinary=b"\x00\x01\xfe\xff")
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == b"\x00\x01\xfe\xff"


@check("idempotent_client_request_token")
def _():
    name = prefix + "idem"
    sm.create_secret(Name=name, SecretString="a")
    token = str(uuid.uuid4())
    first = sm.put_secret_value(SecretId=name, SecretString="b", ClientRequestToken=token)
    again = sm.put_secret_value(SecretId=name, SecretString="b", ClientRequestToken=token)
    assert first["VersionId"] == again["VersionId"] == token
    assert error_code(sm.put_secret_value, SecretId=name, SecretString="c", ClientRequestToken=token) == ("ResourceExistsException", 400)


@check("batch_get_ids_with_errors_and_filters_paginated")
def _():
    for i in range(3):
        sm.create_secret(Name=prefix + "batch/" + str(i), SecretString=str(i))
    batch = sm.batch_get_secret_value(SecretIdList=[prefix + "batch/0", prefix + "batch/1", prefix + "batch/missing"])
    assert sorted(v["SecretString"] for v in batch["SecretValues"]) == ["0", "1"]
    assert [(e["SecretId"], e["ErrorCode"]) for e in batch["Errors"]] == [(prefix + "batch/missing", "ResourceNotFoundException")]
    values = []
    pages = 0
    kwargs = {"Filters": [{"Key": "name", "Values": [prefix + "batch/"]}], "MaxResults": 2}
    while True:
        page = sm.batch_get_secret_value(**kwargs)
        pages += 1
        values += [v["SecretString"] for v in page["SecretValues"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 2 and sorted(values) == ["0", "1", "2"], (pages, values)


@check("describe_and_list_with_paginator")
def _():
    for i in range(5):
        sm.create_secret(Name=prefix + "list/" + str(i), SecretString="v", Description="item " + str(i),
                         Tags=[{"Key": "n", "Value": str(i)}])
    described = sm.describe_secret(SecretId=prefix + "list/3")
    assert described["Description"] == "item 3"
    assert described["Tags"] == [{"Key": "n", "Value": "3"}]
    assert list(described["VersionIdsToStages"].values()) == [["AWSCURRENT"]]
    pages = list(sm.get_paginator("list_secrets").paginate(
        Filters=[{"Key": "name", "Values": [prefix + "list/"]}], SortOrder="asc", PaginationConfig={"PageSize": 2}))
    names = [s["Name"] for p in pages for s in p["SecretList"]]
    assert len(pages) == 3 and names == [prefix + "list/" + str(i) for i in range(5)], names
    negated = sm.list_secrets(Filters=[{"Key": "name", "Values": [prefix + "list/"]}, {"Key": "tag-value", "Values": ["!3"]}])
    assert len(negated["SecretList"]) == 4


@check("update_secret_version_stage")
def _():
    name = prefix + "stage"
    v1 = sm.create_secret(Name=name, SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId=name, SecretString="two", VersionStages=["AWSPENDING"])["VersionId"]
    assert error_code(sm.update_secret_version_stage, SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v2)[0] == "InvalidParameterException"
    sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v2, RemoveFromVersionId=v1)
    stages = sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    assert sorted(stages[v2]) == ["AWSCURRENT", "AWSPENDING"] and stages[v1] == ["AWSPREVIOUS"], stages


@check("rotate_secret")
def _():
    name = prefix + "rotate"
    v1 = sm.create_secret(Name=name, SecretString='{"username":"u","password":"p"}')["VersionId"]
    v2 = sm.rotate_secret(SecretId=name, RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
    current = sm.get_secret_value(SecretId=name)
    assert current["VersionId"] == v2 != v1
    body = json.loads(current["SecretString"])
    assert body["username"] == "u" and body["password"] != "p" and len(body["password"]) == 32
    assert sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["VersionId"] == v1
    described = sm.describe_secret(SecretId=name)
    assert described["RotationEnabled"] is True and "LastRotatedDate" in described and "NextRotationDate" in described


@check("delete_restore_and_deleted_refuses_reads")
def _():
    name = prefix + "delete"
    sm.create_secret(Name=name, SecretString="v")
    assert error_code(sm.delete_secret, SecretId=name, RecoveryWindowInDays=5) == ("InvalidParameterException", 400)
    deleted = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    assert 6.9 < (deleted["DeletionDate"] - sm.describe_secret(SecretId=name)["DeletedDate"]).total_seconds() / 86400 < 7.1
    assert error_code(sm.get_secret_value, SecretId=name) == ("InvalidRequestException", 400)
    listed = [s["Name"] for s in sm.list_secrets(IncludePlannedDeletion=True, Filters=[{"Key": "name", "Values": [name]}])["SecretList"]]
    assert listed == [name]
    assert sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"] == []
    sm.restore_secret(SecretId=name)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "v"
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    assert error_code(sm.describe_secret, SecretId=name) == ("ResourceNotFoundException", 400)


@check("tag_untag")
def _():
    name = prefix + "tags"
    sm.create_secret(Name=name, SecretString="v")
    sm.tag_resource(SecretId=name, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    sm.untag_resource(SecretId=name, TagKeys=["a"])
    assert sm.describe_secret(SecretId=name)["Tags"] == [{"Key": "b", "Value": "2"}]


@check("get_random_password")
def _():
    password = sm.get_random_password(PasswordLength=50, ExcludeNumbers=True, ExcludePunctuation=True)["RandomPassword"]
    assert len(password) == 50 and password.isalpha(), password


@check("error_codes")
def _():
    assert error_code(sm.get_secret_value, SecretId=prefix + "nope") == ("ResourceNotFoundException", 400)
    assert error_code(sm.create_secret, Name="bad name", SecretString="v") == ("InvalidParameterException", 400)
    assert error_code(sm.get_secret_value, SecretId="x" * 2049) == ("ValidationException", 400)
    assert error_code(sm.list_secrets, NextToken="bm9wZQ==") == ("InvalidNextTokenException", 400)


@check("bad_signature")
def _():
    assert error_code(client(secret_key="wrong").list_secrets) == ("InvalidSignatureException", 403)
    assert error_code(client(access_key="AKIAUNKNOWN").list_secrets) == ("UnrecognizedClientException", 403)


@check("region_from_credential_scope")
def _():
    eu = client(region="eu-west-3")
    arn = eu.create_secret(Name=prefix + "region", SecretString="eu")["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:eu-west-3:"), arn
    assert error_code(sm.get_secret_value, SecretId=prefix + "region")[0] == "ResourceNotFoundException"
    assert eu.get_secret_value(SecretId=arn)["SecretString"] == "eu"


print(json.dumps({"passed": passed}))
