"""The organisation list at 1,000 and 10,000 organisations: queries per page and render time.

Run: `python -m bench.org_list` (or `make bench`). Filters used: the staff member's hub (the
default), kind, size, region, membership status, a text search, and a sort, as staff use it.
"""

import random
import sys
from datetime import date

from bench.harness import percentiles, setup_django, timed, write_result

QUERIES_ALLOWED = 15
PAGES = [
    "/ecosystem/organisations/",
    "/ecosystem/organisations/?hub=&kind=company&size=sme&ordering=-name",
    "/ecosystem/organisations/?hub=&region=midtjylland&membership=paying&page=3",
    "/ecosystem/organisations/?hub=&q=data&ordering=membership",
    "/ecosystem/organisations/?hub=&focus_area={focus}&per_page=200",
]


def populate(total: int) -> None:
    """Bring the registry up to `total` organisations with memberships and people."""
    from klynge.ecosystem.domain.identifiers import cvr_check_digit_for
    from klynge.ecosystem.models import (
        Affiliation,
        FocusArea,
        Hub,
        Membership,
        Organisation,
        Person,
    )

    rng = random.Random(total)
    hubs = [Hub.objects.get_or_create(name=n, defaults={"region": r})[0] for n, r in [
        ("København", "hovedstaden"), ("Odense", "syddanmark"), ("Aarhus", "midtjylland"),
        ("Aalborg", "nordjylland"), ("Roskilde", "sjaelland")]]
    focus = list(FocusArea.objects.all()) or [
        FocusArea.objects.create(name_da="Data", name_en="Data", kind="technology")
    ]
    have = Organisation.objects.count()
    words = ["Data", "Nordic", "Vision", "Cloud", "Robot", "Sensor", "Grøn", "Cyber", "Edge"]
    new = []
    taken = set(Organisation.objects.values_list("cvr", flat=True))
    serial = 1000000
    while have + len(new) < total:
        serial += 1
        cvr = cvr_check_digit_for(str(serial))
        if not cvr or cvr in taken:
            continue
        hub = rng.choice(hubs)
        new.append(Organisation(
            name=f"{rng.choice(words)} {rng.choice(words)} {serial} ApS", cvr=cvr,
            kind=rng.choice(["company"] * 8 + ["university", "public"]),
            employee_band=rng.choice(["1-9", "10-49", "50-249", "250+"]),
            region=hub.region, hub=hub, postcode="8000", city="Aarhus",
        ))
    created = Organisation.objects.bulk_create(new, batch_size=2000)
    through = Organisation.focus_areas.through
    through.objects.bulk_create(
        [through(organisation_id=o.pk, focusarea_id=rng.choice(focus).pk) for o in created],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [Membership(organisation=o, start_date=date(2021, 1, 1), annual_fee=5000,
                    status=rng.choice(["paying", "paying", "lapsed", "partner"]))
         for o in created if rng.random() < 0.6],
        batch_size=5000,
    )
    people = Person.objects.bulk_create(
        [Person(first_name="P", last_name=str(o.pk), email=f"p{o.pk}@bench.dk")
         for o in created],
        batch_size=5000,
    )
    Affiliation.objects.bulk_create(
        [Affiliation(person=p, organisation=o) for p, o in zip(people, created, strict=True)],
        batch_size=5000,
    )


def measure(total: int, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    from klynge.core.models import User
    from klynge.ecosystem.models import FocusArea, Hub

    populate(total)
    user, _ = User.objects.get_or_create(
        email="bench@klynge.test", defaults={"role": "staff", "hub": Hub.objects.first()}
    )
    client = Client()
    client.force_login(user)
    focus = FocusArea.objects.first().pk
    pages = {}
    for template in PAGES:
        url = template.format(focus=focus)
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        samples = timed(lambda url=url: client.get(url), repeat)
        pages[url] = {"queries": len(queries), **percentiles(samples)}
        print(f"  {total:>6} orgs  {len(queries):>2} queries  "
              f"p50 {pages[url]['p50_ms']:>7} ms  p95 {pages[url]['p95_ms']:>7} ms  {url}")
    worst = max(p["queries"] for p in pages.values())
    return {"organisations": total, "max_queries": worst, "pages": pages}


def main(argv: list[str]) -> int:
    setup_django()
    repeat = int(argv[0]) if argv else 20
    print("Organisation list: queries and render time")
    results = [measure(total, repeat) for total in (1000, 10000)]
    write_result("org_list", {"repeat": repeat, "query_budget": QUERIES_ALLOWED,
                              "sizes": results})
    over = [r for r in results if r["max_queries"] > QUERIES_ALLOWED]
    if over:
        print(f"FAIL: more than {QUERIES_ALLOWED} queries on a page")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
