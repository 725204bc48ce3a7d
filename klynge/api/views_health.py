"""The liveness probe for load balancers and monitoring: /api/health/.

A plain Django view (not a REST framework one, so the API's anonymous throttle never answers
a balancer with 429). It touches no database: it says that this process serves requests.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from klynge.core.permissions import PUBLIC, access


@access(PUBLIC)
@never_cache
@require_safe
def health(request):
    """{"ok": true} with 200 while the process can answer."""
    return JsonResponse({"ok": True})
