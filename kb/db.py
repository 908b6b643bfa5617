"""Database helpers that are not about any one model."""

import datetime

from django.db import connections

# A time no real value has, for a placeholder compared with a date-time field.
PLACEHOLDER_TIME = datetime.datetime(1900, 1, 2, tzinfo=datetime.UTC)


class PreparedQuery:
    """A queryset compiled to SQL once and then run with new values: for the busiest page, where
    building and compiling the queryset would cost more than running it.

    `build(**placeholders)` returns the queryset for some placeholder values; each placeholder
    must appear in the compiled parameters exactly as the field prepares it (`fields` names the
    model field a placeholder is compared with). `first()` gives a model instance (`raw()`), so
    translated fields keep their fallbacks and annotations become attributes; `rows()` gives
    the rows of a `values_list()` queryset as dicts, for lists where building models would
    cost more than the query.
    """

    def __init__(self, model, build, placeholders: dict, fields: dict, using: str):
        self.model = model
        self.using = using
        self.fields = {name: model._meta.get_field(field) for name, field in fields.items()}
        queryset = build(**placeholders)
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        connection = connections[using]
        prepared = {
            name: self._prepare(name, value, connection) for name, value in placeholders.items()
        }
        slots = []
        for param in params:
            names = [name for name, value in prepared.items() if value == param]
            if len(names) != 1:
                raise ValueError(f"Parameter {param!r} is not exactly one placeholder.")
            slots.append(names[0])
        self.sql, self.slots = sql, slots

    def _prepare(self, name, value, connection):
        return self.fields[name].get_db_prep_value(value, connection, prepared=False)

    def _params(self, values: dict) -> list:
        # The connection looked up once, not per value: it sits behind a context-local lookup.
        connection = connections[self.using]
        prepared = {name: self._prepare(name, value, connection) for name, value in values.items()}
        return [prepared[name] for name in self.slots]

    def first(self, **values):
        """The first row for these values, or None."""
        raw = self.model.objects.db_manager(self.using).raw(self.sql, self._params(values))
        return next(iter(raw), None)

    def rows(self, **values) -> list[dict]:
        """Every row for these values, as {column: value} with the names given to
        `values_list()`; values are as the database returns them (text, numbers)."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
