"""boto3 Parameter Store (ssm) checks against the Secretary emulator.

Usage: python3 boto3_ssm_checks.py ENDPOINT CHECK   runs one check; prints "ok CHECK" and exits 0, or the failure and exits 1
       python3 boto3_ssm_checks.py ENDPOINT --all   runs every check, each on its own; one JSON line per check
       python3 boto3_ssm_checks.py --list           prints every check name

The harness (expect, expect_error, main) is boto3_checks.py's. Each check makes its own parameter names under a random
path, so checks can share one emulator process."""
import sys
import uuid

import boto3_checks
from boto3_checks import expect, expect_equal, expect_error

CHECKS = {}


def check(fn):
    CHECKS[fn.__name__] = fn
    return fn


class SsmContext(boto3_checks.Context):
    def __init__(self, endpoint):
        super().__init__(endpoint)
        self.root = "/boto3-" + uuid.uuid4().hex[:8]
        self.ssm = self.client("ssm")

    def path(self, suffix):
        return self.root + "/" + suffix


def requests(c):
    """The emulator's per-operation request counts (its admin endpoint, which is not a Parameter Store call)."""
    import json
    import urllib.request
    with urllib.request.urlopen(c.endpoint + "/_emulator/requests") as response:
        return json.load(response)["operations"]


def reset_requests(c):
    import urllib.request
    request = urllib.request.Request(c.endpoint + "/_emulator/requests/reset", data=b"", method="POST",
                                     headers={"X-Secretary-Admin": "1", "Content-Type": "application/json"})
    urllib.request.urlopen(request).close()


@check
def put_and_get_string_string_list_and_secure_string(c):
    ssm = c.ssm
    put = ssm.put_parameter(Name=c.path("plain"), Value="one", Type="String")
    expect_equal([put["Version"], put["Tier"]], [1, "Standard"], "PutParameter answer")
    got = ssm.get_parameter(Name=c.path("plain"))["Parameter"]
    expect_equal([got["Name"], got["Type"], got["Value"], got["Version"], got["DataType"]], [c.path("plain"), "String", "one", 1, "text"], "String")
    expect_equal(got["ARN"], "arn:aws:ssm:us-east-1:123456789012:parameter" + c.path("plain"), "ARN")
    expect(got["LastModifiedDate"].year >= 2024, "LastModifiedDate is a timestamp")

    ssm.put_parameter(Name=c.path("list"), Value="a,b,c", Type="StringList")
    expect_equal(ssm.get_parameter(Name=c.path("list"))["Parameter"]["Value"], "a,b,c", "StringList")

    ssm.put_parameter(Name=c.path("secret"), Value="s3cr3t", Type="SecureString")
    hidden = ssm.get_parameter(Name=c.path("secret"))["Parameter"]
    expect(hidden["Value"] != "s3cr3t", "a SecureString read without decryption is ciphertext")
    expect_equal(ssm.get_parameter(Name=c.path("secret"), WithDecryption=True)["Parameter"]["Value"], "s3cr3t", "decrypted")
    history = ssm.get_parameter_history(Name=c.path("secret"))["Parameters"]
    expect_equal(history[0]["KeyId"], "alias/aws/ssm", "the default KMS key")


@check
def overwrite_versions_and_selectors(c):
    ssm, name = c.ssm, c.path("versions")
    ssm.put_parameter(Name=name, Value="v1", Type="String")
    expect_error("ParameterAlreadyExists", ssm.put_parameter, Name=name, Value="v2", Type="String", status=400,
                 message="The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
    expect_equal(ssm.put_parameter(Name=name, Value="v2", Overwrite=True)["Version"], 2, "Overwrite keeps the type and counts on")
    expect_equal(ssm.get_parameter(Name=name + ":1")["Parameter"]["Value"], "v1", "name:version")
    expect_equal(ssm.get_parameter(Name=name + ":1")["Parameter"]["Selector"], ":1", "Selector")
    expect_error("ParameterVersionNotFound", ssm.get_parameter, Name=name + ":9")
    expect_error("ParameterNotFound", ssm.get_parameter, Name=c.path("missing"), status=400)


@check
def labels_move_between_versions(c):
    ssm, name = c.ssm, c.path("labelled")
    ssm.put_parameter(Name=name, Value="v1", Type="String")
    ssm.put_parameter(Name=name, Value="v2", Type="String", Overwrite=True)
    labelled = ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=["prod"])
    expect_equal([labelled["InvalidLabels"], labelled["ParameterVersion"]], [[], 1], "LabelParameterVersion")
    expect_equal(ssm.get_parameter(Name=name + ":prod")["Parameter"]["Value"], "v1", "name:label")
    ssm.label_parameter_version(Name=name, Labels=["prod"])
    expect_equal(ssm.get_parameter(Name=name + ":prod")["Parameter"]["Version"], 2, "the label moved to the latest version")
    expect_equal(ssm.label_parameter_version(Name=name, Labels=["aws-bad"])["InvalidLabels"], ["aws-bad"], "a label may not begin with aws")
    removed = ssm.unlabel_parameter_version(Name=name, ParameterVersion=2, Labels=["prod", "other"])
    expect_equal([removed["RemovedLabels"], removed["InvalidLabels"]], [["prod"], ["other"]], "UnlabelParameterVersion")
    expect_error("ParameterVersionNotFound", ssm.get_parameter, Name=name + ":prod")
    history = ssm.get_parameter_history(Name=name)["Parameters"]
    expect_equal([(p["Version"], p["Value"], p["Labels"]) for p in history], [(1, "v1", []), (2, "v2", [])], "history")


@check
def get_parameters_lists_invalid_names(c):
    ssm = c.ssm
    ssm.put_parameter(Name=c.path("b"), Value="B", Type="String")
    ssm.put_parameter(Name=c.path("a"), Value="A", Type="String")
    answer = ssm.get_parameters(Names=[c.path("b"), c.path("missing"), c.path("a")])
    expect_equal([p["Name"] for p in answer["Parameters"]], [c.path("a"), c.path("b")], "answered in name order")
    expect_equal(answer["InvalidParameters"], [c.path("missing")], "InvalidParameters")
    expect_error("ValidationException", ssm.get_parameters, Names=[c.path(str(i)) for i in range(11)])


@check
def hierarchy_of_250_reads_through_the_paginator(c):
    ssm = c.ssm
    for i in range(250):
        ssm.put_parameter(Name=c.path(f"tree/{i % 5}/p{i:03d}"), Value=f"v{i}", Type="String")
    ssm.put_parameter(Name=c.path("outside"), Value="x", Type="String")
    reset_requests(c)
    pages = list(ssm.get_paginator("get_parameters_by_path").paginate(Path=c.path("tree"), Recursive=True))
    names = [p["Name"] for page in pages for p in page["Parameters"]]
    expect_equal(len(names), 250, "parameters read")
    expect_equal(len(set(names)), 250, "distinct parameters")
    expect_equal(requests(c).get("GetParametersByPath"), 25, "GetParametersByPath calls (at most 10 parameters a call)")
    expect_equal(ssm.get_parameters_by_path(Path=c.path("tree"))["Parameters"], [], "one level only without Recursive")
    filtered = ssm.get_parameters_by_path(Path=c.path("tree"), Recursive=True, MaxResults=10,
                                          ParameterFilters=[{"Key": "Type", "Option": "Equals", "Values": ["SecureString"]}])
    expect_equal(filtered["Parameters"], [], "Type filter")
    expect_error("ValidationException", ssm.get_parameters_by_path, Path=c.path("tree"), MaxResults=11)


@check
def describe_parameters_filters_and_paginator(c):
    ssm = c.ssm
    ssm.put_parameter(Name=c.path("d/one"), Value="1", Type="String", Description="first", Tags=[{"Key": "team", "Value": "core"}])
    ssm.put_parameter(Name=c.path("d/two"), Value="2", Type="SecureString")
    mine = {"Key": "Path", "Option": "Recursive", "Values": [c.path("d")]}
    pages = ssm.get_paginator("describe_parameters").paginate(ParameterFilters=[mine], PaginationConfig={"PageSize": 1})
    described = [p for page in pages for p in page["Parameters"]]
    expect_equal(sorted(p["Name"] for p in described), [c.path("d/one"), c.path("d/two")], "described")
    one = next(p for p in described if p["Name"] == c.path("d/one"))
    expect_equal([one["Type"], one["Description"], one["Version"], one["Tier"], one["DataType"]], ["String", "first", 1, "Standard", "text"], "metadata")
    expect("Value" not in one, "DescribeParameters never answers values")
    secure = ssm.describe_parameters(ParameterFilters=[mine, {"Key": "Type", "Values": ["SecureString"]}])["Parameters"]
    expect_equal([(p["Name"], p["KeyId"]) for p in secure], [(c.path("d/two"), "alias/aws/ssm")], "Type filter and KeyId")
    tagged = ssm.describe_parameters(ParameterFilters=[mine, {"Key": "tag:team", "Values": ["core"]}])["Parameters"]
    expect_equal([p["Name"] for p in tagged], [c.path("d/one")], "tag filter")


@check
def tags_add_list_remove(c):
    ssm, name = c.ssm, c.path("tagged")
    ssm.put_parameter(Name=name, Value="v", Type="String")
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId=name, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId=name, TagKeys=["a"])
    expect_equal(ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"], [{"Key": "b", "Value": "2"}], "TagList")
    expect_error("InvalidResourceId", ssm.list_tags_for_resource, ResourceType="Parameter", ResourceId=c.path("none"))


@check
def delete_parameter_and_parameters(c):
    ssm = c.ssm
    for n in ("x", "y"):
        ssm.put_parameter(Name=c.path(n), Value=n, Type="String")
    ssm.delete_parameter(Name=c.path("x"))
    expect_error("ParameterNotFound", ssm.get_parameter, Name=c.path("x"))
    expect_error("ParameterNotFound", ssm.delete_parameter, Name=c.path("x"))
    deleted = ssm.delete_parameters(Names=[c.path("y"), c.path("x")])
    expect_equal([deleted["DeletedParameters"], deleted["InvalidParameters"]], [[c.path("y")], [c.path("x")]], "DeleteParameters")


@check
def tiers_allowed_pattern_and_data_type(c):
    ssm = c.ssm
    expect_error("ValidationException", ssm.put_parameter, Name=c.path("big"), Value="x" * 4097, Type="String")
    expect_equal(ssm.put_parameter(Name=c.path("big"), Value="x" * 4097, Type="String", Tier="Advanced")["Tier"], "Advanced", "advanced tier")
    expect_equal(ssm.put_parameter(Name=c.path("auto"), Value="x" * 5000, Type="String", Tier="Intelligent-Tiering")["Tier"], "Advanced", "intelligent tiering")
    expect_error("ValidationException", ssm.put_parameter, Name=c.path("huge"), Value="x" * 8193, Type="String", Tier="Advanced")
    expect_error("ParameterPatternMismatchException", ssm.put_parameter, Name=c.path("digits"), Value="abc", Type="String", AllowedPattern="^[0-9]+$")
    ssm.put_parameter(Name=c.path("digits"), Value="123", Type="String", AllowedPattern="^[0-9]+$")
    expect_error("ValidationException", ssm.put_parameter, Name=c.path("ami"), Value="not-an-ami", Type="String", DataType="aws:ec2:image")
    ssm.put_parameter(Name=c.path("ami"), Value="ami-0123456789abcdef0", Type="String", DataType="aws:ec2:image")
    expect_equal(ssm.get_parameter(Name=c.path("ami"))["Parameter"]["DataType"], "aws:ec2:image", "DataType")


@check
def secrets_manager_reference_path(c):
    secret = c.name("referenced")
    c.sm.create_secret(Name=secret, SecretString="from-secrets-manager")
    reference = "/aws/reference/secretsmanager/" + secret
    got = c.ssm.get_parameter(Name=reference, WithDecryption=True)["Parameter"]
    expect_equal([got["Name"], got["Type"], got["Value"]], [reference, "SecureString", "from-secrets-manager"], "the secret through Parameter Store")
    expect("SourceResult" in got, "SourceResult")
    expect_error("ValidationException", c.ssm.get_parameter, Name=reference)


@check
def signature_errors(c):
    expect_error("InvalidSignatureException", c.client("ssm", secret_key="wrong").get_parameter, Name=c.path("x"))
    expect_error("UnrecognizedClientException", c.client("ssm", access_key="AKIAUNKNOWN").get_parameter, Name=c.path("x"))


if __name__ == "__main__":
    sys.exit(boto3_checks.main(sys.argv, CHECKS, SsmContext, __doc__))
