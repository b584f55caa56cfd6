"""Requests carrying characters no database column can store are refused before any view runs.

PostgreSQL text cannot hold NUL ("A string literal cannot contain NUL"), and no UTF-8
column holds a lone surrogate; a slug or filter containing one would otherwise reach a
query and fail as a server error. Such a URL was not made by this site: 400, not 500.
"""
import re

from django.core.exceptions import BadRequest

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None


class RejectUnstorableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if unstorable(request.path) or any(unstorable(k) or any(unstorable(v) for v in values)
                                           for k, values in request.GET.lists()):
            raise BadRequest("地址里有无法处理的字符")
        return self.get_response(request)
