"""Submit admin forms the way a browser does: every input, textarea and selected option as rendered."""
from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            # The model form: its id, or (form_id None) the admin's "<model>_form".
            wanted = self.form_id or ""
            self.inside = a.get("id") == wanted if wanted else a.get("id", "").endswith("_form")
        if not self.inside or a.get("disabled") is not None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            # Browsers drop the one newline that directly follows <textarea>, and post line breaks as CRLF.
            value = value[1:] if value.startswith("\n") else value
            self.fields.append((name, value.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_data(html: str, form_id: str | None = None, /, **overrides) -> dict:
    """The data a browser would post for the form (`form_id`), with some fields replaced."""
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    result = {k: v if len(v) > 1 or k in ("regions", "_selected_action") else v[0] for k, v in data.items()}
    result.update(overrides)
    return result


def open_and_post(client, page_url: str, form_id: str | None = None, /, **overrides):
    """GET the page, then post its form back with `overrides`; returns the POST response."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    return client.post(page_url, form_data(page.content.decode(), form_id, **overrides))
