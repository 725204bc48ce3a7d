"""allauth adapter: Klynge has no public sign-up; people are invited by the cluster."""

from allauth.account.adapter import DefaultAccountAdapter


class KlyngeAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False
