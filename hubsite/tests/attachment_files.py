"""Files for the attachment tests, made here: photos with EXIF (GPS, orientation), PDFs, Office zips."""

import io
import zipfile

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def photo(width=3000, height=2000, *, orientation=6, fmt="JPEG", colour="red") -> bytes:
    """A photo as a phone takes it: GPS position (Nanning), camera make, orientation 'rotate 90°'."""
    image = Image.new("RGB", (width, height), colour)
    # A mark in the top-left corner, to see where it ends up once the orientation is applied.
    image.paste("blue", (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 48.0, 59.0), 3: "E", 4: (108.0, 19.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office(main_type: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/main.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("main.xml", "<x/>")
    return out.getvalue()


def xlsx() -> bytes:
    return office("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


def docx() -> bytes:
    return office("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


def xlsm() -> bytes:
    return office("application/vnd.ms-excel.sheet.macroEnabled.main+xml")
