"""The job's page (polls its status), the status as JSON, and the download: the requester's only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hubsite.core.exports import CONTENT_TYPES
from hubsite.core.files import serve_protected

from .cleanup import retention_days
from .models import ExportJob, ExportStatus


def _job(request, pk: int) -> ExportJob:
    ExportJob.objects.of(request.user).filter(pk=pk).fail_stale()
    return get_object_or_404(ExportJob.objects.of(request.user), pk=pk)


@require_GET
@login_required
def detail(request, pk: int):
    context = {"job": _job(request, pk), "Status": ExportStatus, "keep_days": retention_days()}
    return render(request, "exportjobs/detail.html", context)


@require_GET
@login_required
def status(request, pk: int):
    job = _job(request, pk)
    return JsonResponse({"status": job.status, "progress": job.progress})


@require_GET
@login_required
def download(request, pk: int):
    job = get_object_or_404(ExportJob.objects.of(request.user), pk=pk, status=ExportStatus.DONE)
    return serve_protected(request, job.file, job.file_name, content_type=CONTENT_TYPES.get(job.format))
