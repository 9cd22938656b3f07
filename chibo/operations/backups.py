"""Backups of the database and the media files with SHA-256 checksums, and their restore (C18).

A backup is one directory, `chibo-backup-YYYYmmdd-HHMMSS/`:

    database.sqlite3 or database.dump   SQLite's online backup API, or `pg_dump -Fc`
    media.tar                           every file under MEDIA_ROOT (meeting attachments, import files)
    manifest.json                       when, which database vendor, the migration state, each file's size
                                        and SHA-256
    SHA256SUMS                          the same checksums plus the manifest's own, for `sha256sum -c` on a
                                        machine without the app

It is written under a hidden `.partial` name and renamed once complete, so a backup cut short never looks
like one. The database is dumped first, then the media: a file uploaded in between is in the tar without
a row (harmless); a file deleted in between is missing (rare: only purges delete files).

A restore checks every checksum first, refuses a backup of another database vendor or one made by a newer
version of the code (migrations this code does not have), unpacks and checks the media beside the live
files, and only then replaces the database in one step (one transaction on PostgreSQL, an atomic file
rename on SQLite) and swaps the media in. A refused restore changes nothing.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from chibo.core.errors import ChiboError

PREFIX = "chibo-backup-"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
MEDIA_TAR = "media.tar"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FORMAT = 1
# Restore staging and the media being replaced live inside MEDIA_ROOT (same file system, so every move
# is a rename, even when MEDIA_ROOT is a mount point); backups leave these out.
_MEDIA_SCRATCH = ".chibo-"
_CHUNK = 1024 * 1024


class BackupError(ChiboError):
    """A backup or restore refused; the message in Vietnamese, `english` for the operator's other language."""

    def __init__(self, message: str, english: str) -> None:
        super().__init__(message)
        self.english = english

    def __str__(self) -> str:
        return f"{self.message}\n{self.english}"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]

    @property
    def vendor(self) -> str:
        return str(self.manifest["database"]["vendor"])

    @property
    def database_file(self) -> Path:
        return self.path / self.manifest["database"]["file"]

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["created_at"])

    def describe(self) -> str:
        """One line for people: when (dd/mm/yyyy), which database, how much media."""
        media = self.manifest["media"]
        when = timezone.localtime(self.created_at).strftime("%d/%m/%Y %H:%M:%S")
        return f"{self.path.name}: {when}, {self.vendor}, {media['count']} tệp media ({_size(media['bytes'])})"


@dataclass
class RestoreResult:
    backup: Backup
    # Migrations of this code that the restored database has not had yet: run `manage.py migrate`.
    pending_migrations: list[str] = field(default_factory=list)


# --- Backup ---------------------------------------------------------------------------------------


def create_backup(*, output_dir: Path, using: str = DEFAULT_DB_ALIAS, keep: int | None = None) -> Backup:
    """Dump the database and tar the media into a new backup under `output_dir`; keep the newest `keep`."""
    if keep is not None and keep < 1:
        raise BackupError("Số bản sao lưu giữ lại phải từ 1 trở lên.", "--keep must be at least 1.")
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(
            f"Không sao lưu được cơ sở dữ liệu loại {vendor}: chỉ hỗ trợ SQLite và PostgreSQL.",
            f"Cannot back up a {vendor} database: only SQLite and PostgreSQL are supported.",
        )
    output_dir = Path(output_dir).absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if output_dir.is_relative_to(media_root):
        raise BackupError(
            f"Thư mục sao lưu {output_dir} nằm trong MEDIA_ROOT: bản sao lưu sẽ tự chép chính nó. "
            "Hãy chọn thư mục khác.",
            f"The backup directory {output_dir} is inside MEDIA_ROOT: backups would copy themselves. Choose another.",
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    name = _free_name(output_dir, f"{PREFIX}{timezone.localtime(created):%Y%m%d-%H%M%S}")
    partial = output_dir / f".{name}.partial"
    partial.mkdir()
    try:
        database_file = DATABASE_FILES[vendor]
        if vendor == "sqlite":
            _dump_sqlite(connection, partial / database_file)
            migrations = _latest_per_app(_sqlite_migrations(partial / database_file))
        else:
            _dump_postgres(connection, partial / database_file)
            migrations = _latest_per_app(_postgres_migrations(partial / database_file))
        count, size = _tar_media(media_root, partial / MEDIA_TAR)
        files = {n: _file_entry(partial / n) for n in (database_file, MEDIA_TAR)}
        manifest = {
            "format": FORMAT,
            "app": "chibo",
            "version": _version(),
            "created_at": created.isoformat(),
            "database": {"vendor": vendor, "file": database_file},
            "migrations": migrations,
            "media": {"file": MEDIA_TAR, "count": count, "bytes": size},
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        sums = {n: entry["sha256"] for n, entry in files.items()}
        sums[MANIFEST] = _sha256(partial / MANIFEST)
        (partial / SUMS).write_text("".join(f"{digest}  {n}\n" for n, digest in sorted(sums.items())))
        _fsync_dir(partial)
        partial.rename(output_dir / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    backup = Backup(output_dir / name, manifest)
    if keep is not None:
        prune_backups(output_dir=output_dir, keep=keep)
    return backup


def list_backups(output_dir: Path) -> list[Path]:
    """Complete backups in `output_dir`, oldest first (their names sort by time)."""
    if not Path(output_dir).is_dir():
        return []
    found = (p for p in Path(output_dir).iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file())
    return sorted(found, key=lambda p: p.name)


def prune_backups(*, output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `output_dir`; returns the deleted ones."""
    old = list_backups(output_dir)[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


def _free_name(output_dir: Path, name: str) -> str:
    candidate, n = name, 1
    while (output_dir / candidate).exists() or (output_dir / f".{candidate}.partial").exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _dump_sqlite(connection: BaseDatabaseWrapper, dest: Path) -> None:
    """A consistent copy through SQLite's online backup API: the app may go on writing meanwhile (WAL)."""
    target = sqlite3.connect(dest)
    try:
        if connection.is_in_memory_db():  # type: ignore[attr-defined]
            # Only tests run on an in-memory database; inside a transaction the copy would wait for ever.
            if connection.in_atomic_block:
                raise BackupError("Không sao lưu được giữa một giao dịch.", "Cannot back up from inside a transaction.")
            connection.ensure_connection()
            connection.connection.backup(target)
        else:
            live = Path(connection.settings_dict["NAME"])
            if not live.is_file():
                raise BackupError(f"Không thấy tệp cơ sở dữ liệu {live}.", f"The database file {live} does not exist.")
            source = sqlite3.connect(f"{live.absolute().as_uri()}?mode=ro", uri=True, timeout=60)
            try:
                source.backup(target)
            finally:
                source.close()
        # A self-contained file: no -wal beside it, nothing changes when it is opened to be checked.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_migrations(path: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return [(app, name) for app, name in db.execute("SELECT app, name FROM django_migrations")]
    finally:
        db.close()


def _dump_postgres(connection: BaseDatabaseWrapper, dest: Path) -> None:
    pg_dump = _pg_tool("pg_dump")
    _run([pg_dump, "--format=custom", "--no-password", f"--file={dest}"], _pg_env(connection), "pg_dump")


def _postgres_migrations(dump: Path) -> list[tuple[str, str]]:
    """The applied migrations as the dump holds them (its COPY block of django_migrations)."""
    pg_restore = _pg_tool("pg_restore")
    out = _run([pg_restore, "--data-only", "--table=django_migrations", "--file=-", str(dump)], None, "pg_restore")
    rows: list[tuple[str, str]] = []
    columns: list[str] | None = None
    for line in out.splitlines():
        if columns is None:
            match = re.match(r"COPY \S*django_migrations \(([^)]*)\) FROM stdin;", line)
            if match:
                columns = [c.strip().strip('"') for c in match.group(1).split(",")]
        elif line == "\\.":
            break
        else:
            values = dict(zip(columns, line.split("\t"), strict=False))
            rows.append((values["app"], values["name"]))
    return rows


def _latest_per_app(applied: Iterable[tuple[str, str]]) -> dict[str, str]:
    # Migration names start with their number, so the greatest name is the latest.
    latest: dict[str, str] = {}
    for app, name in applied:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _tar_media(media_root: Path, dest: Path) -> tuple[int, int]:
    """Every regular file under MEDIA_ROOT (symbolic links and restore scratch left out); (count, bytes)."""
    count = size = 0
    with tarfile.open(dest, "w", format=tarfile.PAX_FORMAT) as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                relative = path.relative_to(media_root)
                if relative.parts[0].startswith(_MEDIA_SCRATCH) or path.is_symlink() or not path.is_file():
                    continue
                info = tar.gettarinfo(path, relative.as_posix())
                with path.open("rb") as fh:
                    tar.addfile(info, fh)
                count += 1
                size += info.size
    return count, size


def _version() -> str:
    try:
        return metadata.version("chibo")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- Verify ---------------------------------------------------------------------------------------


def verify_backup(path: Path) -> Backup:
    """Check every file of a backup against its SHA-256 checksum; the backup, or BackupError naming the file."""
    path = Path(path).absolute()
    if not (path / MANIFEST).is_file():
        raise BackupError(
            f"{path} không phải một bản sao lưu của Chi bộ số (không có {MANIFEST}).",
            f"{path} is not a Chi bộ số backup (no {MANIFEST}).",
        )
    if not (path / SUMS).is_file():
        raise _corrupted(SUMS, "tệp bị thiếu", "the file is missing")
    sums = {}
    for line in (path / SUMS).read_text(errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    if MANIFEST not in sums:
        raise _corrupted(SUMS, f"không có dòng nào cho {MANIFEST}", f"it has no line for {MANIFEST}")
    _check_file(path, MANIFEST, sums[MANIFEST], None)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        vendor, database_file = manifest["database"]["vendor"], manifest["database"]["file"]
    except (ValueError, KeyError, TypeError) as exc:
        raise _corrupted(MANIFEST, "không đọc được nội dung", "its content cannot be read") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Bản sao lưu có định dạng {manifest.get('format')}, phiên bản này chỉ đọc định dạng {FORMAT}.",
            f"The backup has format {manifest.get('format')}; this version reads format {FORMAT} only.",
        )
    for name in sorted({database_file, MEDIA_TAR} | set(files)):
        if name not in files:
            raise _corrupted(MANIFEST, f"không ghi mã kiểm tra của {name}", f"it has no checksum for {name}")
        if sums.get(name) != files[name]["sha256"]:
            raise _corrupted(SUMS, f"mã kiểm tra của {name} khác với {MANIFEST}", f"{name}'s checksum differs")
        _check_file(path, name, files[name]["sha256"], files[name]["size"])
    if vendor not in DATABASE_FILES:
        raise _corrupted(MANIFEST, f"loại cơ sở dữ liệu lạ: {vendor}", f"unknown database vendor {vendor}")
    return Backup(path, manifest)


def _check_file(root: Path, name: str, digest: str, size: int | None) -> None:
    file = root / name
    if Path(name).name != name or not file.is_file():
        raise _corrupted(name, "tệp bị thiếu", "the file is missing")
    if size is not None and file.stat().st_size != size:
        raise _corrupted(
            name,
            f"kích thước {file.stat().st_size} byte, đã ghi {size}",
            f"it has {file.stat().st_size} bytes, {size} recorded",
        )
    if _sha256(file) != digest:
        raise _corrupted(name, "không khớp mã kiểm tra SHA-256", "it does not match its SHA-256 checksum")


def _corrupted(name: str, why: str, why_en: str) -> BackupError:
    return BackupError(f"Bản sao lưu bị hỏng: tệp {name}: {why}.", f"The backup is corrupted: {name}: {why_en}.")


# --- Restore --------------------------------------------------------------------------------------


def restore_backup(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Put the database and the media back as the backup holds them, or refuse and change nothing."""
    backup = verify_backup(path)
    connection = connections[using]
    if backup.vendor != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của cơ sở dữ liệu {backup.vendor}, hệ thống đang dùng {connection.vendor}: "
            "không khôi phục được sang loại khác.",
            f"The backup is of a {backup.vendor} database and this system runs {connection.vendor}: "
            "a backup restores into the same kind of database only.",
        )
    unknown = _unknown_migrations(backup.manifest["migrations"])
    if unknown:
        listed = ", ".join(unknown)
        raise BackupError(
            f"Bản sao lưu được tạo bởi phiên bản mới hơn mã nguồn này (có migration chưa có ở đây: {listed}). "
            "Hãy cập nhật mã nguồn rồi khôi phục.",
            f"The backup was made by a newer version of the code (migrations unknown here: {listed}). "
            "Update the code, then restore.",
        )
    media_root = Path(settings.MEDIA_ROOT).absolute()
    staged = _stage_media(backup, media_root)
    try:
        if backup.vendor == "sqlite":
            _restore_sqlite(connection, backup.database_file)
        else:
            _restore_postgres(connection, backup.database_file)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    _swap_media(staged, media_root)
    return RestoreResult(backup, _pending_migrations(connection))


def _unknown_migrations(latest: dict[str, str]) -> list[str]:
    """Migrations the backup had applied that this code does not know: it was made by a newer version."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # a squashed migration stands for the ones it replaced
    return [f"{app}.{name}" for app, name in sorted(latest.items()) if (app, name) not in known]


def _pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _stage_media(backup: Backup, media_root: Path) -> Path:
    """Unpack the media beside the live files (inside MEDIA_ROOT, so that the swap is renames only)."""
    media_root.mkdir(parents=True, exist_ok=True)
    staged = media_root / f"{_MEDIA_SCRATCH}restore-{uuid.uuid4().hex}"
    staged.mkdir()
    try:
        with tarfile.open(backup.path / MEDIA_TAR) as tar:
            tar.extractall(staged, filter="data")  # no absolute paths, no "..", no devices
        unpacked = sum(1 for p in staged.rglob("*") if p.is_file())
        if unpacked != backup.manifest["media"]["count"]:
            raise _corrupted(
                MEDIA_TAR,
                f"có {unpacked} tệp, đã ghi {backup.manifest['media']['count']}",
                f"it holds {unpacked} files, {backup.manifest['media']['count']} recorded",
            )
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _swap_media(staged: Path, media_root: Path) -> None:
    """Move the live media aside, the restored media in, then delete what was moved aside."""
    old = media_root / f"{_MEDIA_SCRATCH}old-{uuid.uuid4().hex}"
    old.mkdir()
    for entry in list(media_root.iterdir()):
        if not entry.name.startswith(_MEDIA_SCRATCH):
            entry.rename(old / entry.name)
    for entry in list(staged.iterdir()):
        entry.rename(media_root / entry.name)
    staged.rmdir()
    shutil.rmtree(old)


def _restore_sqlite(connection: BaseDatabaseWrapper, source: Path) -> None:
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        # Only tests run on an in-memory database: copy the pages in through the backup API.
        backup = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
        try:
            _check_sqlite(backup, source)
            connection.ensure_connection()
            backup.backup(connection.connection)
        finally:
            backup.close()
        return
    live = Path(connection.settings_dict["NAME"]).absolute()
    staged = live.with_name(f".{live.name}.restore-{uuid.uuid4().hex}")
    shutil.copyfile(source, staged)
    try:
        check = sqlite3.connect(staged)
        try:
            _check_sqlite(check, source)
        finally:
            check.close()
        with staged.open("rb") as fh:
            os.fsync(fh.fileno())
        connection.close()
        if live.exists():
            # Fold the write-ahead log into the old file: a stale -wal must never meet the new file.
            old = sqlite3.connect(live, timeout=60)
            try:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                old.close()
        os.replace(staged, live)
        for suffix in ("-wal", "-shm"):
            live.with_name(live.name + suffix).unlink(missing_ok=True)
        _fsync_dir(live.parent)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _check_sqlite(db: sqlite3.Connection, source: Path) -> None:
    result = db.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise _corrupted(source.name, "SQLite báo tệp không toàn vẹn", "SQLite's integrity check fails")


def _restore_postgres(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Replace the database's tables with the dump's in one transaction: all of it, or nothing.

    Every table of the database's schemas is dropped first (CASCADE), then the script of
    `pg_restore --clean --if-exists` (drop each object of the dump if it exists, create it, load it) runs,
    all in psql's `--single-transaction`. Dropping the tables first takes away the ones the dump does not
    have (made by later migrations: `migrate` would trip over them) and the partitions whose inherited
    constraints `--clean` alone cannot drop. psql commits when its input ends, so if pg_restore fails
    half-way psql is killed before that: the server rolls everything back.
    """
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))")
        live = sorted(cursor.fetchall())
    quote = connection.ops.quote_name
    drops = "SET client_min_messages = warning;\n"  # not a notice per cascaded constraint
    drops += "".join(f"DROP TABLE IF EXISTS {quote(s)}.{quote(t)} CASCADE;\n" for s, t in live)
    connection.close()
    env = _pg_env(connection)
    # A running app holding locks makes the restore fail (and roll back) instead of waiting for ever.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout=60s".strip()
    script_args = [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", str(dump)]
    psql_args = [psql, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--single-transaction"]
    with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as psql_errors:
        script = subprocess.Popen(script_args, stdout=subprocess.PIPE, stderr=script_errors)  # noqa: S603
        runner = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
            [*psql_args, "--file=-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=env
        )
        assert script.stdout is not None and runner.stdin is not None
        try:
            runner.stdin.write(drops.encode())
            shutil.copyfileobj(script.stdout, runner.stdin, _CHUNK)
        except BrokenPipeError:  # psql stopped at an error (and rolled back); its message says which
            script.kill()
        script.stdout.close()
        script.wait()
        if script.returncode != 0 and runner.poll() is None:
            runner.kill()  # before the end of its input: no COMMIT is sent
        else:
            try:
                runner.stdin.close()
            except BrokenPipeError:
                pass
        runner.wait()
        if script.returncode != 0 and runner.returncode == -signal.SIGKILL:
            script_errors.seek(0)
            raise _tool_failed("pg_restore", script_errors.read().decode(errors="replace"))
        if runner.returncode != 0:
            psql_errors.seek(0)
            raise _tool_failed("psql", psql_errors.read().decode(errors="replace"))


# --- PostgreSQL tools -----------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"Không tìm thấy chương trình {name} của PostgreSQL. Hãy cài gói postgresql-client cùng phiên bản "
            "với máy chủ (ví dụ: apt install postgresql-client-15) rồi chạy lại.",
            f"PostgreSQL's {name} is not on PATH. Install the postgresql-client package of the server's version "
            "(e.g. apt install postgresql-client-15) and run again.",
        )
    return found


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's environment for the database's settings: the password never appears on a command line."""
    params = connection.settings_dict
    env = dict(os.environ)
    for key, var in {"NAME": "PGDATABASE", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "HOST": "PGHOST"}.items():
        if params.get(key):
            env[var] = str(params[key])
    if params.get("PORT"):
        env["PGPORT"] = str(params["PORT"])
    libpq = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}
    for option, var in libpq.items():
        if params.get("OPTIONS", {}).get(option):
            env[var] = str(params["OPTIONS"][option])
    return env


def _run(args: list[str], env: dict[str, str] | None, tool: str) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 - no shell
    if result.returncode != 0:
        raise _tool_failed(tool, result.stderr)
    return result.stdout


def _tool_failed(tool: str, stderr: str) -> BackupError:
    detail = stderr.strip()[-2000:]
    return BackupError(f"{tool} thất bại, không có gì thay đổi:\n{detail}", f"{tool} failed; nothing changed.")


# --- Files ----------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(path: Path) -> dict[str, Any]:
    return {"size": path.stat().st_size, "sha256": _sha256(path)}


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"
