from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge.demo.staff import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "One-time passwords. `otp code USERNAME` prints the current code of a demo account's device."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        code = sub.add_parser("code", help="Print the current code of a demo account (demo devices only).")
        code.add_argument("username")

    def handle(self, *args, action: str, username: str, **options) -> None:
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator; real devices never reveal their codes.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
