"""`manage.py backup`: one dated archive of the database and MEDIA_ROOT (see hubsite/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hubsite.backups import BackupError, archives, create_backup


class Command(BaseCommand):
    help = "Write the database (pg_dump) and MEDIA_ROOT to a dated archive in BACKUP_DIR; keep BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help=f"where to write (default BACKUP_DIR: {settings.BACKUP_DIR})")
        parser.add_argument(
            "--keep",
            type=int,
            help=f"how many archives to keep (default BACKUP_KEEP: {settings.BACKUP_KEEP})",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, dir=None, keep=None, database="default", **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1")
        try:
            archive = create_backup(Path(dir) if dir else None, keep=keep, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = archive.stat().st_size
        kept = len(archives(archive.parent))
        self.stdout.write(self.style.SUCCESS(f"{archive} ({size / 1e6:.1f} MB); {kept} archives kept"))
