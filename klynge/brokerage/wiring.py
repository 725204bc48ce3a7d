"""Where the brokerage app plugs into the others: the menu and the activity page's panel."""


def connect() -> None:
    from django.utils.translation import gettext_lazy as _

    from klynge.core.context_processors import register_navigation

    register_navigation(_("B2B meetings"), "brokerage:event_list", after="matchmaking:home")
