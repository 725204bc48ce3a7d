"""Danish first: the product's language is Danish unless the person chose another."""

from django.conf import settings


class DefaultLanguageMiddleware:
    """Ignore the browser's Accept-Language, so a Danish cluster's pages start in Danish.

    The language switcher (a cookie) still wins; KLYNGE_LANGUAGE_FROM_BROWSER=1 restores
    Django's negotiation with the browser. Runs before django.middleware.locale.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.KLYNGE_LANGUAGE_FROM_BROWSER:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
