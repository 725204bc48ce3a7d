"""Where the brokerage app plugs into the others: the menu and the activity page's panel."""


def connect() -> None:
    from django.utils.translation import gettext_lazy as _

    from klynge.core.context_processors import register_navigation

    register_navigation(_("B2B meetings"), "brokerage:event_list", after="matchmaking:home")
    # members: their own participations, each with its personal pages
    register_navigation(_("My B2B meetings"), "brokerage:my_events",
                        after="brokerage:event_list")

    # the "B2B meetings" panel on an activity's page (figures, or "Set up B2B meetings").
    from klynge.activities.hooks import register_detail_panel
    from klynge.brokerage.selectors_events import activity_panel

    register_detail_panel("brokerage/_activity_panel.html", activity_panel)

    # the event's statistics on the activity's evaluation page.
    from klynge.brokerage.selectors_statistics import evaluation_facts
    from klynge.evaluations.hooks import register_activity_facts

    register_activity_facts(evaluation_facts)
