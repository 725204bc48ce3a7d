"""`klynge totp EMAIL`: print the current TOTP code of a demo login.

Administrator and management must use two-factor authentication; their demo logins carry a
fixed TOTP secret, and this prints the code an authenticator app would show. It only serves
logins of the demo domain, so it cannot be used to get past another account's second factor.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

DEMO_DOMAIN = "@klynge.demo"


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo login (administrator or management)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("email", help="the demo login's e-mail, e.g. admin@klynge.demo")

    def handle(self, *args, email: str, **options):
        email = email.strip().lower()
        if not email.endswith(DEMO_DOMAIN):
            raise CommandError(
                _("Only demo logins (…%(domain)s) have a code this command may show.")
                % {"domain": DEMO_DOMAIN}
            )
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise CommandError(_("There is no login %(email)s.") % {"email": email})
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(
                _("%(email)s has no TOTP authenticator.") % {"email": email}
            )
        secret = decrypt(authenticator.data["secret"])
        now = time.time()
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(secret, int(now) // period))
        self.stdout.write(code)
        if options["verbosity"] > 1:
            self.stderr.write(_("valid for another %(seconds)d s")
                              % {"seconds": period - int(now) % period})
