#!/usr/bin/env python3
"""Single-user rotation of an RDS-format database secret (PostgreSQL, MySQL, MariaDB): see rds_rotation.py."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rds_rotation  # noqa: E402

if __name__ == "__main__":
    sys.exit(rds_rotation.main(sys.argv, "single-user"))
