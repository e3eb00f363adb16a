"""Large exports built by the worker (issue #19: no request over 3 s).

A list page's export that would take more than a few thousand rows is not built in the request:
``start`` records an ``ExportJob`` (who asked, the page's path and filter query string, the format,
the language) and the request is redirected to the job's page, which polls its progress and links
the file when it is ready. The worker (``tasks.build_export``) replays the export request as the
requester, so the page's own permission checks and scoping run again, and stores the file; only the
requester can download it (``views.download``, through ``hubsite.core.files.serve_protected``).
"""
