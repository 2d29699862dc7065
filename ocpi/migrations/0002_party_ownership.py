"""A party belongs to one connection: released_at on connection parties, the partial unique
constraint on the held ones, and the audit record of staff moving a party.

Before the constraint, the rows of closed connections are released, and where two open
connections hold the same party the first claim (the lowest id) keeps it: later claims are the
ones registration used to let through unchecked.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.db import migrations, models


def release_conflicting_parties(apps, schema_editor):
    ConnectionParty = apps.get_model("ocpi", "ConnectionParty")
    now = django.utils.timezone.now()
    ConnectionParty.objects.filter(connection__status="closed").update(released_at=now)
    kept = set()
    for row in ConnectionParty.objects.filter(released_at__isnull=True).order_by("id"):
        key = (row.country_code.upper(), row.party_id.upper(), row.role)
        if key in kept:
            ConnectionParty.objects.filter(pk=row.pk).update(released_at=now)
        kept.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("ocpi", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartyMove",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("country_code", models.CharField(max_length=2)),
                ("party_id", models.CharField(max_length=3)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("CPO", "Cpo"),
                            ("EMSP", "Emsp"),
                            ("HUB", "Hub"),
                            ("NAP", "Nap"),
                            ("NSP", "Nsp"),
                            ("OTHER", "Other"),
                            ("SCSP", "Scsp"),
                        ],
                        max_length=5,
                    ),
                ),
                ("reason", models.TextField()),
                (
                    "moved_by",
                    models.CharField(help_text="The staff member who moved it", max_length=150),
                ),
                (
                    "moved_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
            ],
            options={
                "ordering": ["-moved_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="connectionparty",
            name="released_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its connection closed and the party became free for another one",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="partymove",
            name="from_connection",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty when no connection held the party",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="parties_moved_away",
                to="ocpi.connection",
            ),
        ),
        migrations.AddField(
            model_name="partymove",
            name="to_connection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="parties_moved_in",
                to="ocpi.connection",
            ),
        ),
        migrations.RunPython(release_conflicting_parties, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="connectionparty",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper("country_code"),
                django.db.models.functions.text.Upper("party_id"),
                models.F("role"),
                condition=models.Q(("released_at__isnull", True)),
                name="party_held_by_one_connection",
                violation_error_message="This party belongs to another connection.",
            ),
        ),
    ]
