"""Programme periods and their KPI targets per year: everyone in the team reads them,
management and administrators change them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.kpis import services
from klynge.kpis.choices import Kpi
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.forms import TargetGridForm, TargetPeriodForm
from klynge.kpis.models import TargetPeriod
from klynge.kpis.views.common import MANAGERS, may_manage


def _grid(period: TargetPeriod) -> list[tuple]:
    targets = {(t.kpi, t.year): t for t in period.targets.all()}
    return [
        (kpi, DEFINITIONS[kpi.value], [targets.get((kpi.value, year)) for year in period.years])
        for kpi in Kpi
    ]


@access(CLUSTER_TEAM)
def target_list(request):
    periods = TargetPeriod.objects.prefetch_related("targets").order_by("-start")
    return render(request, "kpis/target_list.html", {
        "periods": [(period, _grid(period)) for period in periods],
        "may_manage": may_manage(request.user),
    })


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def target_period_create(request):
    form = TargetPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.target_period_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The programme period %(name)s was added. Now set its "
                                        "targets.") % {"name": period.name})
            return redirect("kpis:target_edit", period.pk)
    return render(request, "kpis/target_period_form.html", {"form": form})


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def target_edit(request, pk: int):
    period = get_object_or_404(TargetPeriod, pk=pk)
    form = TargetGridForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.targets_update(period=period, targets=form.targets(),
                                              actor=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, _("The targets of %(name)s were saved.")
                                 % {"name": period.name})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("kpis:target_list")
    return render(request, "kpis/target_edit.html", {"form": form, "period": period})
