"""`make bench`: build (once) a network 100 times the demo in its own database and time the pages.

See hubsite/core/bench.py for the API each app's `<app>/bench.py` uses.
"""

import time

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from hubsite.core import bench as bench_module
from mutualaid import bench as mutualaid_bench
from partners import bench as partners_bench
from reports import bench as reports_bench

# Build order matters: partners makes the network the others hang their data on.
BENCH_MODULES = {"partners": partners_bench, "reports": reports_bench, "mutualaid": mutualaid_bench}


class Command(BaseCommand):
    help = "Build the 100x benchmark network in <dbname>_bench (once) and time the heavy pages."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000 organisations (default)")
        parser.add_argument("--repeat", type=int, default=None, help="override every measurement's repeat")
        parser.add_argument(
            "--apps",
            nargs="*",
            default=list(BENCH_MODULES),
            choices=list(BENCH_MODULES),
            help="apps whose bench.py to run",
        )
        parser.add_argument(
            "--only",
            nargs="*",
            default=[],
            help="measure only what has one of these words in its label (e.g. --only grid 'partner home')",
        )
        parser.add_argument("--drop", action="store_true", help="drop the bench database afterwards")

    def handle(self, *args, scale, repeat, apps, only, drop, **options):
        base = connection.settings_dict["NAME"]
        name = bench_module.bench_database_name(base, scale)
        created = bench_module.use_database(name)
        # `make run` shares this Redis: cached pages and versions of the bench data get keys of their own.
        cache.key_prefix = f"{cache.key_prefix}:{name}"
        self.stdout.write(f"Bench database: {name} ({'created' if created else 'reused'})")
        # The network (partners) is always built: every app's data hangs on it.
        builds = [partners_bench] + [BENCH_MODULES[app] for app in apps if app != "partners"]
        runs = [BENCH_MODULES[app] for app in apps]
        try:
            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            bench = bench_module.Bench(scale=scale, out=self.stdout.write, repeat=repeat, only=only)
            for module in builds:
                if hasattr(module, "build"):
                    bench.timed_build(module.__name__, module.build)
            self.stdout.write(f"Building took {time.perf_counter() - started:.1f} s in all")
            for module in runs:
                if hasattr(module, "run"):
                    self.stdout.write(f"{module.__name__}:")
                    module.run(bench)
            bench.print_table()
        finally:
            if drop:
                bench_module.drop_database(name, base)
                self.stdout.write(f"Dropped {name}")
