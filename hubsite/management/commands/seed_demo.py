"""Load the demo network: each app contributes through its `<app>/demo.py` with `seed(ctx)`.

Idempotent: running it twice leaves the same data. Refuses to run with DEBUG off unless --force.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hubsite import demo_attachments
from meetings import demo as meetings_demo
from mutualaid import demo as mutualaid_demo
from partners import demo as partners_demo
from reports import demo as reports_demo
from reports import demo_annual as reports_demo_annual
from training import demo as training_demo

# Order matters: reports and meetings need partners' organisations and people.
DEMO_MODULES = {
    "partners": partners_demo,
    "reports": reports_demo,
    "meetings": meetings_demo,
    "mutualaid": mutualaid_demo,
    "training": training_demo,
    # After the programmes: the annual text's draft tells of their meetings, training and help.
    "annual": reports_demo_annual,
    # Last: pictures on what the apps made (activity listings, a report, a claim).
    "attachments": demo_attachments,
}


class Command(BaseCommand):
    help = "Load the demo network (10 organisations, 16 centres, demo logins)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if organisations exist")

    def handle(self, *args, force=False, if_empty=False, **options):
        from partners.models import Organisation

        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to seed anyway.")
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        context: dict = {}
        # One transaction for all apps: if a later app fails, no half-loaded network is left behind
        # for `--if-empty` to mistake for a complete one.
        with transaction.atomic():
            for app, module in DEMO_MODULES.items():
                module.seed(context)
                self.stdout.write(f"  {app}: done")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
