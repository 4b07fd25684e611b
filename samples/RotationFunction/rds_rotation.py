#!/usr/bin/env python3
"""Database password rotation for `secretary emulator --rotation-function` (and, unchanged in spirit, a Lambda).

Two strategies, as AWS's rotation templates for Amazon RDS, against a real PostgreSQL, MySQL or MariaDB server. The
secret is in the RDS format: {"engine": "postgres" | "mysql" | "mariadb", "host", "port", "username", "password",
"dbname"}.

  single user        (rds_single_user_rotation.py) changes the password of the secret's own user:
                     createSecret  puts a new password as AWSPENDING
                     setSecret     logs in with the current (or previous) password and changes it to the pending one
                                   (PostgreSQL: ALTER ROLE CURRENT_USER ...; MySQL: ALTER USER CURRENT_USER() ...;
                                   MariaDB: SET PASSWORD = PASSWORD(...))
                     testSecret    logs in with the pending password
                     finishSecret  moves AWSCURRENT to the new version
                     Between setSecret and finishSecret the old password no longer works while AWSCURRENT still holds it:
                     clients must refresh and retry (Secretary.Npgsql and Secretary.MySqlConnector read AWSPENDING then).

  alternating users  (rds_alternating_users_rotation.py) switches the secret between two users, USER and USER_clone;
                     the secret also names an administrator's secret ("masterarn") that may create users and set passwords:
                     createSecret  puts the other user with a new password as AWSPENDING
                     setSecret     as the administrator: creates the other user when missing (with the same rights as the
                                   current one) and sets its password
                     testSecret    logs in as the other user
                     finishSecret  moves AWSCURRENT to the new version
                     The current user's password is never touched, so connections and cached credentials keep working
                     until the next rotation: nothing has to retry.

Every step can be repeated: createSecret skips a version that exists, setSecret skips a password that already works.

Run it two ways:
  as a command:  secretary emulator --rotation-function db=cmd:samples/RotationFunction/rds_single_user_rotation.py
                 (the event on stdin; the emulator's endpoint and credentials in the environment; exit 0 = success)
  over HTTP:     python3 rds_rotation.py --serve 8123 --strategy single-user --endpoint http://127.0.0.1:4566
                 secretary emulator --rotation-function db=http://127.0.0.1:8123/
Needs Python 3, boto3, and psycopg2 (PostgreSQL) or PyMySQL (MySQL, MariaDB).
"""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rotation_protocol  # noqa: E402

# Characters a password never gets: they need quoting in connection strings and URLs.
EXCLUDED_CHARACTERS = "/@\"'\\:;,=&%?#[]{}`$"
CLONE_SUFFIX = "_clone"
PASSWORD_LENGTH = 32


class Database:
    """Logins and user management for one engine, through its usual Python driver."""

    def __init__(self, engine):
        self.engine = (engine or "").lower()
        if self.engine in ("postgres", "postgresql", "aurora-postgresql"):
            import psycopg2
            from psycopg2 import sql
            self.driver, self.sql = psycopg2, sql
            self.kind = "postgres"
        elif self.engine in ("mysql", "mariadb", "aurora-mysql", "aurora"):
            import pymysql
            self.driver = pymysql
            self.kind = "mysql"
        else:
            raise ValueError("the secret's engine must be postgres, mysql or mariadb, not " + repr(engine))

    def connect(self, secret, user=None, password=None):
        """A connection as the secret's user (or the given one), or None when the server refuses the login."""
        user = user or secret["username"]
        password = secret["password"] if password is None else password
        try:
            if self.kind == "postgres":
                return self.driver.connect(host=secret.get("host", "127.0.0.1"), port=int(secret.get("port", 5432)),
                                           dbname=secret.get("dbname", "postgres"), user=user, password=password,
                                           connect_timeout=5)
            return self.driver.connect(host=secret.get("host", "127.0.0.1"), port=int(secret.get("port", 3306)),
                                       database=secret.get("dbname"), user=user, password=password, connect_timeout=5)
        except self.driver.OperationalError:
            return None

    def can_login(self, secret):
        conn = self.connect(secret)
        if conn is None:
            return False
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchall()
            return True
        finally:
            conn.close()

    def set_own_password(self, conn, password):
        """The logged-in user changes its own password."""
        with conn.cursor() as cur:
            if self.kind == "postgres":
                cur.execute("ALTER ROLE CURRENT_USER WITH PASSWORD %s", (password,))
            else:
                cur.execute("SELECT VERSION()")
                if "mariadb" in cur.fetchone()[0].lower():
                    # MariaDB lets a user change its own password this way only (ALTER USER needs CREATE USER).
                    cur.execute("SET PASSWORD = PASSWORD(%s)", (password,))
                else:
                    cur.execute("ALTER USER CURRENT_USER() IDENTIFIED BY %s", (password,))
        conn.commit()

    def ensure_user(self, admin, model_user, user, password):
        """As an administrator: create `user` with the rights of `model_user` when missing, and set its password."""
        with admin.cursor() as cur:
            if self.kind == "postgres":
                ident = self.sql.Identifier
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,))
                if cur.fetchone() is None:
                    cur.execute(self.sql.SQL("CREATE ROLE {} WITH LOGIN PASSWORD %s").format(ident(user)), (password,))
                    # The clone is a member of the original user's role, so it has the same rights, now and later.
                    cur.execute(self.sql.SQL("GRANT {} TO {}").format(ident(model_user), ident(user)))
                else:
                    cur.execute(self.sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD %s").format(ident(user)), (password,))
            else:
                cur.execute("SELECT 1 FROM mysql.user WHERE user = %s AND host = '%%'", (user,))
                if cur.fetchone() is None:
                    cur.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (user, password))
                    cur.execute("SHOW GRANTS FOR %s@'%%'", (model_user,))
                    for (grant,) in cur.fetchall():
                        if "IDENTIFIED BY" in grant.upper() or grant.upper().startswith("GRANT USAGE"):
                            continue
                        cur.execute(grant.replace("`" + model_user + "`@", "`" + user + "`@", 1))
                else:
                    cur.execute("ALTER USER %s@'%%' IDENTIFIED BY %s", (user, password))
        admin.commit()


def get_secret(client, arn, stage, token=None):
    kwargs = {"SecretId": arn, "VersionStage": stage}
    if token:
        kwargs["VersionId"] = token
    value = json.loads(client.get_secret_value(**kwargs)["SecretString"])
    for key in ("engine", "username", "password"):
        if key not in value:
            raise KeyError(f"the secret has no {key} key (the RDS format: engine, host, port, username, password, dbname)")
    return value


def pending_exists(client, arn, token):
    try:
        get_secret(client, arn, "AWSPENDING", token)
        return True
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        return False


def new_password(client):
    return client.get_random_password(PasswordLength=PASSWORD_LENGTH, ExcludeCharacters=EXCLUDED_CHARACTERS)["RandomPassword"]


def other_user(username):
    return username[:-len(CLONE_SUFFIX)] if username.endswith(CLONE_SUFFIX) else username + CLONE_SUFFIX


def create_secret(client, arn, token, strategy):
    current = get_secret(client, arn, "AWSCURRENT")
    if pending_exists(client, arn, token):
        return  # created by an earlier attempt: resume
    if strategy == "alternating-users":
        if "masterarn" not in current:
            raise KeyError("an alternating-users secret names its administrator's secret in 'masterarn'")
        current["username"] = other_user(current["username"])
    current["password"] = new_password(client)
    client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current), VersionStages=["AWSPENDING"])


def set_secret(client, arn, token, strategy):
    pending = get_secret(client, arn, "AWSPENDING", token)
    db = Database(pending["engine"])
    if db.can_login(pending):
        return  # set by an earlier attempt
    current = get_secret(client, arn, "AWSCURRENT")
    if strategy == "alternating-users":
        admin_secret = get_secret(client, current["masterarn"], "AWSCURRENT")
        admin = db.connect(pending, admin_secret["username"], admin_secret["password"])
        if admin is None:
            raise RuntimeError("cannot log in as the administrator " + admin_secret["username"] + " (masterarn)")
        try:
            db.ensure_user(admin, current["username"], pending["username"], pending["password"])
        finally:
            admin.close()
        return
    conn = db.connect(current)
    if conn is None:
        try:
            previous = get_secret(client, arn, "AWSPREVIOUS")
            conn = db.connect(previous)
        except ClientError:
            conn = None
    if conn is None:
        raise RuntimeError("cannot log in as " + pending["username"] + " with the current or previous password")
    try:
        db.set_own_password(conn, pending["password"])
    finally:
        conn.close()


def test_secret(client, arn, token, strategy):
    pending = get_secret(client, arn, "AWSPENDING", token)
    if not Database(pending["engine"]).can_login(pending):
        raise RuntimeError("cannot log in as " + pending["username"] + " with the pending password")


def finish_secret(client, arn, token, strategy):
    rotation_protocol.finish_secret(client, arn, token)


STEPS = {"createSecret": create_secret, "setSecret": set_secret, "testSecret": test_secret, "finishSecret": finish_secret}
STRATEGIES = ("single-user", "alternating-users")


def handle(event, endpoint, strategy):
    """Runs one step of a rotation, as a rotation Lambda's handler does."""
    if strategy not in STRATEGIES:
        raise ValueError("unknown strategy " + strategy)
    client = boto3.client("secretsmanager", endpoint_url=endpoint)
    arn, token, step = rotation_protocol.check_event(client, event)
    if step not in STEPS:
        raise ValueError("unknown step " + step)
    STEPS[step](client, arn, token, strategy)


def main(argv, strategy=None):
    strategy = strategy or rotation_protocol.option(argv, "--strategy", "single-user")
    endpoint = rotation_protocol.endpoint_from(argv)
    if "--serve" in argv:
        rotation_protocol.serve(int(rotation_protocol.option(argv, "--serve", "0")), lambda event: handle(event, endpoint, strategy), f"rotation function ({strategy})")
        return 0
    return rotation_protocol.run_command(lambda event: handle(event, endpoint, strategy))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
