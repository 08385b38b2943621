"""Focal points' notifications move to the portal's one outbox (correspondence.Email), rows and all."""

from django.db import migrations


def move_notifications(apps, schema_editor):
    Notification = apps.get_model("registration", "Notification")
    Email = apps.get_model("correspondence", "Email")
    for notification in Notification.objects.order_by("pk").iterator():
        email = Email.objects.create(
            source="registration",
            to=notification.to,
            subject=notification.subject,
            body=notification.body,
            status=notification.status,  # queued, sending, sent and failed mean the same in both
            attempts=notification.attempts,
            last_error=notification.last_error,
            # The Message-ID it was (or will be) sent with, so the mail log still finds it.
            message_id=f"<notification-{notification.pk}@{notification_domain()}>",
            claimed_at=notification.claimed_at,
            sent_at=notification.sent_at,
        )
        Email.objects.filter(pk=email.pk).update(created_at=notification.created_at)


def notification_domain() -> str:
    from django.conf import settings

    return settings.MESSAGE_ID_DOMAIN


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0004_credentials_storage_from_settings"),
        ("correspondence", "0008_outbox_per_address_and_emails"),
    ]

    operations = [
        migrations.RunPython(move_notifications, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
