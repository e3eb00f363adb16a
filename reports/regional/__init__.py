"""Generated regional reports: a period's figures gathered in a fixed number of queries, written as
PDF (WeasyPrint) and XLSX (openpyxl, streaming) by a Celery task, downloaded through a checked view.

Modules: ``choices`` and ``periods`` (no model imports, so ``reports.models`` can use them),
``content`` (the gathering), ``pdf`` and ``xlsx`` (the formats), ``generate`` (the run with progress),
``actions`` (requesting a report, attaching meeting packs), ``tasks`` (Celery), ``views``/``forms``.
"""
