"""Finding every app's privacy.py at call time.

The privacy app sits low in the layers (only ecosystem and core below it), so it must not
import the apps above it. It looks, when asked, for a `privacy` module in every installed
Klynge app (`importlib` over `apps.get_app_configs()`), in the order of INSTALLED_APPS.

The contract of a privacy module (each app's privacy.py):
- `export_person(person) -> dict[str, list[dict]]`: the app's tables of the person's data,
  each a list of rows (dicts of JSON-encodable values; dates, datetimes and decimals are
  encoded by the privacy app with Django's JSON encoder). Table names are unique within the app.
- `erase_person(person, *, actor) -> dict`: anonymise the person's data in the app, keeping
  every row an aggregate counts; returns what it did as counts. It receives the person as they
  were before the erasure began (its own copy), so their name and e-mail are still readable.
  It runs inside the erasure's transaction.
- optional `active_person_ids(*, since) -> QuerySet` of Person pks (a `values("pk")` query
  without NULLs) that were active in the app on or after `since` (a datetime): the retention
  rules spare them.
"""

import importlib
from types import ModuleType

from django.apps import apps


def privacy_modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) of every installed Klynge app that has a privacy.py."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("klynge."):
            continue
        name = f"{config.name}.privacy"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found.append((config.label, module))
    return found


def activity_queries(*, since) -> list:
    """Each app's query of the people active on or after `since`."""
    return [
        module.active_person_ids(since=since)
        for _label, module in privacy_modules()
        if hasattr(module, "active_person_ids")
    ]
