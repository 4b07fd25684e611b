# Makes DIR (and DIR/.secretary) world-writable, as a user preparing a trap for another user's agent would.
import os, sys
for path in sys.argv[1:]:
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o777)
print("READY", flush=True)
