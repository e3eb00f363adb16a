# Placeholder owned by the targets work (issue #13 items 4 and 7): targets and the new default indicators
# go here, written by hand from `makemigrations reports --dry-run -v 3` (copy only its own operations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_validation_rules")]
    operations = []
