"""Course tooling: build the site, release exercises, grade. The `course` command lives in cli.py."""
