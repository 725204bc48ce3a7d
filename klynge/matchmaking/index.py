"""The recommender's index for this process: built once, kept current cheaply.

- An organisation edited in the registry (its `updated_at` moved) is re-vectorised on the next
  use with `Index.update`, not rebuilt: a few milliseconds.
- Anything that changes many profiles at once (a CORDIS import, a CORDIS record linked to the
  registry, a project's partners, an organisation deleted) changes the *generation* and the
  next use rebuilds the index; so does age (`KLYNGE_MATCHMAKING_REBUILD_SECONDS`, default one
  hour), which picks up attendance at activities.

Each process (each gunicorn worker) keeps its own index; nothing is shared but the database.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from klynge.ecosystem.models import Organisation
from klynge.matchmaking.domain import Index
from klynge.matchmaking.models import CordisImport, CordisOrganisation
from klynge.matchmaking.profiles import all_profiles, registry_profiles
from klynge.projects.models import Project, ProjectPartner


@dataclass
class _State:
    generation: tuple
    index: Index
    built: float
    seen_at: datetime


_lock = threading.Lock()
_state: _State | None = None


def generation() -> tuple:
    """What, when it changes, makes a rebuild necessary (five queries)."""
    linked = CordisOrganisation.objects.filter(organisation__isnull=False).aggregate(
        n=Count("pk"), m=Max("organisation_id"))
    return (
        Organisation.objects.count(),
        CordisImport.objects.aggregate(m=Max("pk"))["m"],
        linked["n"], linked["m"],
        Project.objects.aggregate(m=Max("updated_at"))["m"],
        ProjectPartner.objects.count(),
    )


def rebuild_seconds() -> float:
    return float(getattr(settings, "KLYNGE_MATCHMAKING_REBUILD_SECONDS", 3600))


def current_index() -> Index:
    """The index, rebuilt when the generation changed or it is too old, otherwise brought up
    to date with the organisations edited since it was last used."""
    global _state
    with _lock:
        now = timezone.now()
        gen = generation()
        if (_state is None or _state.generation != gen
                or time.monotonic() - _state.built > rebuild_seconds()):
            _state = _State(gen, Index(all_profiles()), time.monotonic(), now)
            return _state.index
        edited = registry_profiles(Organisation.objects.filter(updated_at__gte=_state.seen_at))
        if _state.index.text_model.is_empty and any(p.texts or p.labels for p in edited):
            # The first text in a registry that had none: fit a vocabulary now.
            _state = _State(gen, Index(all_profiles()), time.monotonic(), now)
            return _state.index
        for profile in edited:
            _state.index.update(profile)
        _state.seen_at = now
        return _state.index


def reset() -> None:
    """Forget the index (tests; after a restore)."""
    global _state
    with _lock:
        _state = None
