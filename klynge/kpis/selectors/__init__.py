"""The KPIs of Table 1 computed from the records and the survey answers for any period, the
evidence behind each figure, targets, snapshots and the figures reported beside the KPIs
(unique participants, activities by grant and type, paying members over time, churn).

Every function here runs a fixed number of queries whatever the amount of data: sets of ids
are fetched once and counted in Python (bench/kpis.py prints the count).

The package splits them by theme (base, figures, evidence, beside); callers import from
`klynge.kpis.selectors`.
"""

from klynge.kpis.selectors.base import *  # noqa: F403
from klynge.kpis.selectors.beside import *  # noqa: F403
from klynge.kpis.selectors.evidence import *  # noqa: F403
from klynge.kpis.selectors.figures import *  # noqa: F403
