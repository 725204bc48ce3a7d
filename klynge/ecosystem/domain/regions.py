"""Which of the five Danish regions a postcode lies in.

Danish postcodes follow the postal districts, not the regions, so a few border districts are
approximations; staff can always set the region by hand. The ranges below follow the postal
map (1000-3699 and 3700-3799 Bornholm: Capital Region; 4000-4999: Zealand; 5000-6999 and
7000-7299: Southern Denmark; 7300-8999: Central Denmark; 9000-9999: North Denmark), with the
known exceptions listed explicitly.
"""

# (first, last, region)
_RANGES: tuple[tuple[int, int, str], ...] = (
    (1000, 2999, "hovedstaden"),
    (3000, 3699, "hovedstaden"),
    (3700, 3799, "hovedstaden"),
    (4000, 4999, "sjaelland"),
    (5000, 6999, "syddanmark"),
    (7000, 7299, "syddanmark"),
    (7300, 7499, "midtjylland"),
    (7500, 7699, "midtjylland"),
    (7700, 7799, "nordjylland"),
    (7800, 8999, "midtjylland"),
    (9000, 9999, "nordjylland"),
)
# Districts whose number lies in another region's range.
_EXCEPTIONS: dict[int, str] = {
    4050: "sjaelland",
    6800: "syddanmark",
    7190: "syddanmark",
    7260: "syddanmark",
    7330: "midtjylland",
    7700: "nordjylland",
    7730: "nordjylland",
    7741: "nordjylland",
    7742: "nordjylland",
    7752: "nordjylland",
    7755: "nordjylland",
    7760: "nordjylland",
    7770: "nordjylland",
    7790: "midtjylland",
    7800: "midtjylland",
}


def region_for_postcode(postcode: str | None) -> str | None:
    """The region code (as in ecosystem.choices.Region) for a Danish postcode, or None."""
    digits = "".join(ch for ch in (postcode or "") if ch.isdigit())
    if len(digits) != 4:
        return None
    number = int(digits)
    if number in _EXCEPTIONS:
        return _EXCEPTIONS[number]
    for first, last, region in _RANGES:
        if first <= number <= last:
            return region
    return None
