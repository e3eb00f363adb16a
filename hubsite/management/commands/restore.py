"""`manage.py restore ARCHIVE`: the database and MEDIA_ROOT back from a `manage.py backup` archive."""

from django.core.management.base import BaseCommand, CommandError

from hubsite.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` into an empty database (and MEDIA_ROOT)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path to a hubsite-YYYYMMDD-HHMMSSZ.tar.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over a database that has tables (they are dropped and recreated) and over "
            "files in MEDIA_ROOT",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, archive, force=False, database="default", **options):
        try:
            manifest = restore_backup(archive, force=force, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database from {manifest['created']} and {manifest['restored_files']} files. "
                "Run `manage.py migrate` if this code is newer than the backup."
            )
        )
