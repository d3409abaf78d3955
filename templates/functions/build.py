#!/usr/bin/env python3
"""Build functions/db_migrate.zip, the Lambda package of the DB-migration function.

    python3 functions/build.py           rebuild the zip from functions/db_migrate/
    python3 functions/build.py --check   exit 1 if the zip is out of date, else 0

Terraform deploys the zip by `filename` and `source_code_hash`, so the same
sources must give the same bytes on every machine. They do: every regular file
below functions/db_migrate/ (except __pycache__/ and *.pyc) is STORED (no
compression, so no zlib version is involved) under its '/'-separated relative
path, in UTF-16 code-unit order of those paths, dated 1980-01-01 00:00:00, with
mode 0644 as made on Unix, and no extra fields, data descriptors or comments.
The generator writes the very same bytes (src/lib/zip.ts in the generator).
Needs only Python 3.8+ and its standard library; works from any directory.
"""

import io
import os
import stat
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "db_migrate")
TARGET = os.path.join(HERE, "db_migrate.zip")
OUT_OF_DATE = "functions/db_migrate.zip is out of date with functions/db_migrate/; run: python3 functions/build.py"


def sources():
    """Relative '/'-separated paths of the files to package, in archive order."""
    paths = []
    for root, dirs, files in os.walk(SOURCE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = os.path.join(root, name)
            if not name.endswith(".pyc") and stat.S_ISREG(os.lstat(path).st_mode):
                paths.append(os.path.relpath(path, SOURCE).replace(os.sep, "/"))
    # UTF-16 code-unit order, as JavaScript sorts strings (not code-point order).
    return sorted(paths, key=lambda path: path.encode("utf-16-be"))


def build():
    paths = sources()
    if not paths:
        sys.exit("functions/db_migrate/ has no files to package")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", allowZip64=False) as archive:
        for path in paths:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3  # Unix
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_STORED
            with open(os.path.join(SOURCE, *path.split("/")), "rb") as source:
                archive.writestr(info, source.read())
    return buffer.getvalue()


def main(args):
    if args not in ([], ["--check"]):
        print(__doc__, file=sys.stderr)
        return 2
    data = build()
    if args == ["--check"]:
        try:
            with open(TARGET, "rb") as current:
                up_to_date = current.read() == data
        except FileNotFoundError:
            up_to_date = False
        if not up_to_date:
            print(OUT_OF_DATE, file=sys.stderr)
            return 1
        print("functions/db_migrate.zip is up to date")
        return 0
    with open(TARGET + ".tmp", "wb") as out:
        out.write(data)
    os.replace(TARGET + ".tmp", TARGET)
    print("wrote functions/db_migrate.zip (%d bytes)" % len(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
