"""The demo network seeded once and copied into each test that asks for it (the `demo` fixture).

`seed_demo` takes 13-50 s; copying its ~20,000 rows back with PostgreSQL's COPY takes about a second.
The seed runs in a transaction that is rolled back, so the test database itself never holds the demo:
tests that do not ask for it count rows in an empty network as before.
"""

import io

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# Tables that Django's post_migrate fills again after every flush (transactional tests flush). The demo
# never writes them, and copying them back would change the ids this process has cached. Rows that
# point at a content type (attachments) are given the current id of the same model on restore.
POST_MIGRATE_TABLES = {"django_content_type", "auth_permission"}


class DemoSnapshot:
    """Every table's rows right after `seed_demo` into an empty database, in COPY's text format, and
    where each table's id sequence stood, so a copy never hands out an id the demo already uses."""

    def __init__(self):
        self.tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in POST_MIGRATE_TABLES
        ]
        self.rows = {}
        self.sequences = []
        self.content_types = {}  # id when taken -> (app_label, model)
        self.content_type_columns = []  # (table, column) pointing at django_content_type

    @classmethod
    def take(cls):
        """Seed the demo into an emptied database, copy it out, and roll the whole seed back (to a
        savepoint when a test's transaction is open: what the test's fixtures made is still there)."""
        snapshot = cls()
        with transaction.atomic():
            snapshot._empty_tables(snapshot.tables)
            # --force: the test settings run with DEBUG off, which the command takes for production.
            call_command("seed_demo", force=True, stdout=io.StringIO())
            with connection.cursor() as cursor:
                for table in snapshot.tables:
                    buffer = io.BytesIO()
                    cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
                    if buffer.tell():
                        snapshot.rows[table] = buffer.getvalue()
                snapshot.sequences = snapshot._sequence_positions(cursor)
                snapshot._note_content_types(cursor)
            transaction.set_rollback(True)
        return snapshot

    def restore(self):
        """Make the database hold exactly the demo network.

        In a test wrapped in a transaction (`db`) this happens inside it and is rolled back with it; in
        a transactional test (live server, worker) it is committed, and the flush after the test
        removes it.
        """
        with transaction.atomic(), connection.cursor() as cursor:
            self._empty_tables(self._filled_tables(cursor))
            for table, rows in self.rows.items():
                cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} FROM STDIN", io.BytesIO(rows))
            self._renumber_content_types(cursor)
            if self.sequences:
                calls = ", ".join("setval(%s, %s)" for _ in self.sequences)
                cursor.execute(f"SELECT {calls}", [value for pair in self.sequences for value in pair])

    def _note_content_types(self, cursor):
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        self.content_types = {pk: (app, model) for pk, app, model in cursor.fetchall()}
        for table in self.rows:
            for column, (_other_column, other_table) in connection.introspection.get_relations(
                cursor, table
            ).items():
                if other_table == "django_content_type":
                    self.content_type_columns.append((table, column))

    def _renumber_content_types(self, cursor):
        """A flush since the snapshot gave the content types new ids: point the copied rows at them."""
        if not self.content_type_columns:
            return
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        now = {(app, model): pk for pk, app, model in cursor.fetchall()}
        moves = [(old, now[key]) for old, key in self.content_types.items() if key in now and now[key] != old]
        if not moves:
            return
        values = ", ".join("(%s, %s)" for _ in moves)
        params = [value for pair in moves for value in pair]
        quote = connection.ops.quote_name
        for table, column in self.content_type_columns:
            # One statement per column, so an id moved onto another's old id is not moved twice.
            cursor.execute(
                f"UPDATE {quote(table)} AS t SET {quote(column)} = m.new "
                f"FROM (VALUES {values}) AS m(old, new) WHERE t.{quote(column)} = m.old",
                params,
            )

    def _filled_tables(self, cursor):
        """The tables holding rows now; truncating only these saves ~0.4 s on a mostly empty database."""
        quote = connection.ops.quote_name
        cursor.execute(
            "SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {quote(table)})" for table in self.tables)
        )
        return [table for table, filled in zip(self.tables, cursor.fetchone(), strict=True) if filled]

    @staticmethod
    def _empty_tables(tables):
        if not tables:
            return
        with connection.cursor() as cursor:
            # TRUNCATE refuses tables with pending deferred foreign-key checks (rows a fixture inserted
            # earlier in this transaction): run those checks now, then defer again for the copy.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # CASCADE: the empty tables that point at these are emptied with them, as TRUNCATE requires.
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _sequence_positions(self, cursor):
        """(sequence, highest id) for every table the demo filled."""
        positions = []
        for table in self.rows:
            for column in connection.introspection.get_sequences(cursor, table):
                quoted = connection.ops.quote_name(column["column"])
                cursor.execute(f"SELECT max({quoted}) FROM {connection.ops.quote_name(table)}")
                positions.append((column["name"], cursor.fetchone()[0]))
        return positions
