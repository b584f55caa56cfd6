from django.conf import settings
from django.utils.http import urlencode

from .views.script import HANT, reader_script


def site(request):
    """The reader's script for <html lang>, the link that switches it, and the operator for the footer."""
    script = reader_script(request)
    other = "hans" if script == HANT else HANT
    return {
        "script": script,
        "html_lang": f"zh-Hant-{settings.GAOKU_TRADITIONAL_STANDARD.upper()}" if script == HANT else "zh-Hans",
        "og_locale": f"zh_{settings.GAOKU_TRADITIONAL_STANDARD.upper()}" if script == HANT else "zh_CN",
        "script_switch_url": "/script/?" + urlencode({"to": other, "next": request.get_full_path()}),
        "script_switch_label": "简体" if script == HANT else "繁體",
        "operator": {
            "name": settings.GAOKU_SITE_OPERATOR,
            "icp": settings.GAOKU_ICP_FILING,
            "contact": settings.GAOKU_CONTACT_EMAIL,
            "contact_url": f"mailto:{settings.GAOKU_CONTACT_EMAIL}" if settings.GAOKU_CONTACT_EMAIL else "",
        },
    }
