"""Fast inserts for the demo's largest tables."""

from django.db import connection
from django.db.models import DateTimeField, JSONField


def insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows into the model's table with one executemany.

    The tens of thousands of registrations, responses and answers would take bulk_create
    seconds of per-object work; the values are prepared the way the fields prepare them
    (datetimes once per distinct value), so the rows are the ones bulk_create would write,
    except that timestamps (created_at, updated_at) are the given ones, not the time of
    the build. Other values (but JSON) must be given as the database stores them.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)))
    converters = [(index, _datetime_converter(field) if isinstance(field, DateTimeField)
                   else _json_converter(field))
                  for index, field in enumerate(fields)
                  if isinstance(field, DateTimeField | JSONField)]
    prepared = []
    for row in rows:
        if len(row) != len(fields):
            raise ValueError(f"A row of {len(row)} values for {len(fields)} columns.")
        values = list(row)
        for index, convert in converters:
            values[index] = convert(values[index])
        prepared.append(values)
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), 5000):
            cursor.executemany(sql, prepared[start:start + 5000])


def _datetime_converter(field):
    """The backend's adaptation of an aware datetime (what get_db_prep_save ends in, without
    the field's checks for naive values, which the demo never has), once per value."""
    cache: dict = {}
    adapt = connection.ops.adapt_datetimefield_value

    def convert(value):
        if value is None:
            return None
        found = cache.get(value)
        if found is None:
            found = cache[value] = adapt(value)
        return found
    return convert


def _json_converter(field):
    def convert(value):
        return field.get_db_prep_save(value, connection)
    return convert
