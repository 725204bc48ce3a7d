"""The REST API's endpoints of the KPIs (registered on /api/v1/ by klynge.api.urls).

Read-only, for the cluster team and the grant givers. The figures are computed exactly as on
the KPI pages (klynge.kpis.selectors: `kpi_rows`, snapshots, targets) for the same choice of
period (klynge.kpis.forms.PeriodForm). What counted (the organisations behind a figure) is
not exposed here: the drill-down pages show it to the cluster team.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from klynge.core.permissions import access
from klynge.core.roles import REPORT_READERS
from klynge.kpis import selectors
from klynge.kpis.choices import Kpi
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain import keys
from klynge.kpis.forms import PeriodForm
from klynge.kpis.models import KpiSnapshot, TargetPeriod
from klynge.kpis.views.common import PERIOD_FIELDS

NUMBER = {"max_digits": 14, "decimal_places": 1, "coerce_to_string": False, "allow_null": True}


def chosen_period(params, *, today=None):
    """The period the query asks for, as the KPI pages choose it; without any period
    parameter the programme (grant) period running today, to date (or this year to date
    when no programme period runs). An invalid choice raises a 400 naming the fields."""
    today = today or timezone.localdate()
    given = {name: params[name] for name in PERIOD_FIELDS if params.get(name)}
    if not given:
        programme = TargetPeriod.objects.filter(start__lte=today, end__gte=today).first()
        given = ({"kind": PeriodForm.PROGRAMME, "programme": str(programme.pk)} if programme
                 else {"kind": PeriodForm.YEAR})
    form = PeriodForm(given, today=today)
    if not form.is_valid():
        raise serializers.ValidationError(
            {field: [str(message) for message in messages]
             for field, messages in form.errors.items()}
        )
    return form.chosen


# --- serializers ---------------------------------------------------------------------------


class DefinitionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=Kpi.choices)
    number = serializers.IntegerField()
    title = serializers.CharField()
    goal = serializers.CharField()
    indicator = serializers.CharField()
    counting = serializers.CharField(help_text=_("How the figure is counted."))
    source = serializers.CharField()
    unit = serializers.CharField()
    is_share = serializers.BooleanField(help_text=_("A share in per cent, not a count."))
    is_state = serializers.BooleanField(
        help_text=_("Measured on the period's last day (not summed over the period).")
    )


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()
    to_date = serializers.BooleanField(help_text=_("The period was cut at today."))
    programme = serializers.IntegerField(allow_null=True,
                                         help_text=_("The programme period chosen, if any."))


class CumulativeSerializer(serializers.Serializer):
    value = serializers.DecimalField(**NUMBER)
    start = serializers.DateField()
    end = serializers.DateField()


class FigureSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=Kpi.choices)
    number = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.DecimalField(**NUMBER, help_text=_("The figure for the period."))
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    cumulative = CumulativeSerializer(
        allow_null=True,
        help_text=_("For a flow: the figure from the programme period's start, which the "
                    "year's target measures."),
    )
    target = serializers.DecimalField(**NUMBER)
    target_high = serializers.DecimalField(**NUMBER)
    reached = serializers.DecimalField(
        max_digits=8, decimal_places=3, coerce_to_string=False, allow_null=True,
        help_text=_("The compared figure as a fraction of the target (1 = met)."),
    )
    status = serializers.ChoiceField(choices=["met", "near", "behind", "unknown"])
    frozen_value = serializers.DecimalField(
        **NUMBER, help_text=_("The value frozen for this period, when it was frozen.")
    )


class FiguresSerializer(serializers.Serializer):
    period = PeriodSerializer()
    snapshot = serializers.IntegerField(
        allow_null=True, help_text=_("The frozen snapshot of exactly this period, if any.")
    )
    results = FigureSerializer(many=True)


class TargetSerializer(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=Kpi.choices)
    year = serializers.IntegerField()
    value = serializers.DecimalField(**NUMBER)
    value_high = serializers.DecimalField(**NUMBER)


class TargetPeriodSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = TargetPeriod
        fields = ["id", "name", "start", "end", "targets"]
        read_only_fields = fields


class SnapshotFigureSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=Kpi.choices)
    value = serializers.DecimalField(**NUMBER)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)


class SnapshotSerializer(serializers.ModelSerializer):
    figures = serializers.SerializerMethodField()

    class Meta:
        model = KpiSnapshot
        fields = ["id", "label", "period_start", "period_end", "note", "frozen_at", "figures"]
        read_only_fields = fields

    @extend_schema_field(SnapshotFigureSerializer(many=True))
    def get_figures(self, snapshot) -> list[dict]:
        return [
            {"key": key, "value": figure.value, "numerator": figure.numerator,
             "denominator": figure.denominator}
            for key, figure in selectors.frozen_figures(snapshot).items()
        ]


# --- views ---------------------------------------------------------------------------------

PERIOD_PARAMETERS = [
    OpenApiParameter("kind", str, enum=[PeriodForm.YEAR, PeriodForm.PROGRAMME, PeriodForm.CUSTOM],
                     description="year, programme or custom (guessed from the other "
                                 "parameters when left out)."),
    OpenApiParameter("year", int, description="A calendar year (kind=year)."),
    OpenApiParameter("programme", int, description="A programme period's id (kind=programme)."),
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (kind=custom)."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (kind=custom)."),
]


def _figure_rows(period):
    snapshot = selectors.snapshot_for(period)
    frozen = selectors.frozen_figures(snapshot) if snapshot else {}
    rows = []
    for row in selectors.kpi_rows(period):
        definition = DEFINITIONS[row.key]
        progress = row.progress
        cumulative = None
        if row.cumulative is not None:
            cumulative = {"value": row.cumulative.value, "start": row.cumulative_period.start,
                          "end": row.cumulative_period.end}
        rows.append({
            "key": row.key, "number": keys.number(row.key), "title": definition.title,
            "unit": definition.unit, "value": row.figure.value,
            "numerator": row.figure.numerator, "denominator": row.figure.denominator,
            "cumulative": cumulative,
            "target": row.target.value if row.target else None,
            "target_high": row.target.value_high if row.target else None,
            "reached": progress.reached, "status": progress.status,
            "frozen_value": frozen[row.key].value if row.key in frozen else None,
        })
    return snapshot, rows


@access(REPORT_READERS)
class KpiFigureViewSet(viewsets.GenericViewSet):
    """The seven indicators of Table 1 for a period: figure, target, progress.

    For the cluster team and the grant givers (read-only). The period is chosen as on the KPI
    page: `?year=2025`, `?programme=<id>` or `?start=2025-01-01&end=2025-06-30`; a period
    that has not ended is cut at today (`to_date`). Without any of these: the programme
    (grant) period running today, to date, or this year to date when none runs.
    """

    serializer_class = FiguresSerializer
    pagination_class = None
    answers_one_object = True  # for the schema: `list` answers one object, not an array
    filter_backends: list = []

    @extend_schema(summary=_("KPI figures for a period"), parameters=PERIOD_PARAMETERS,
                   responses={200: FiguresSerializer})
    def list(self, request):
        chosen = chosen_period(request.query_params)
        period = chosen.period
        snapshot, rows = _figure_rows(period)
        body = {
            "period": {"start": period.start, "end": period.end, "label": period.label,
                       "to_date": chosen.to_date,
                       "programme": chosen.programme.pk if chosen.programme else None},
            "snapshot": snapshot.pk if snapshot else None,
            "results": rows,
        }
        return Response(FiguresSerializer(body).data)


@access(REPORT_READERS)
class KpiDefinitionViewSet(viewsets.GenericViewSet):
    """What each indicator means and how it is counted (Table 1, in its order)."""

    serializer_class = DefinitionSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(summary=_("KPI definitions"), responses={200: DefinitionSerializer(many=True)})
    def list(self, request):
        rows = [
            {"key": key, "number": d.number, "title": d.title, "goal": d.goal,
             "indicator": d.indicator, "counting": d.counting, "source": d.source,
             "unit": d.unit, "is_share": d.is_share, "is_state": d.is_state}
            for key in keys.ORDER for d in [DEFINITIONS[key]]
        ]
        return Response(DefinitionSerializer(rows, many=True).data)


@access(REPORT_READERS)
class TargetPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Programme (grant) periods with each indicator's target per year (read-only)."""

    serializer_class = TargetPeriodSerializer
    queryset = TargetPeriod.objects.prefetch_related("targets").order_by("start", "pk")
    filter_backends: list = []
    lookup_value_regex = r"[0-9]+"


@access(REPORT_READERS)
class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Frozen figures: what was reported for a period stays what was reported (read-only)."""

    serializer_class = SnapshotSerializer
    queryset = KpiSnapshot.objects.order_by("-period_end", "-period_start", "pk")
    filter_backends: list = []
    lookup_value_regex = r"[0-9]+"


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("kpis", KpiFigureViewSet, basename="kpi")
    router.register("kpi-definitions", KpiDefinitionViewSet, basename="kpi-definition")
    router.register("kpi-targets", TargetPeriodViewSet, basename="kpi-target-period")
    router.register("kpi-snapshots", SnapshotViewSet, basename="kpi-snapshot")
