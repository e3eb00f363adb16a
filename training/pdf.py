"""The certificate's PDF: a Django template rendered by WeasyPrint (like the regional report), with
the verification URL as text and as a QR code drawn in SVG (``qrcode``, pure Python)."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from hubsite.core.charts import qr_svg
from partners.models import Organisation

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(certificate, verify_url: str) -> str:
    application = certificate.application
    hub = Organisation.objects.filter(is_hub=True).order_by("pk").first()
    return render_to_string(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "hub_name": hub.name if hub else "",
            "person": application.applicant.full_name,
            "module": application.module,
            "programme": application.module.programme,
            "verify_url": verify_url,
            "qr": qr_svg(verify_url),
        },
    )


def certificate_pdf(certificate, verify_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(certificate, verify_url)).write_pdf()
