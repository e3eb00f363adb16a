# Placeholder owned by the validation-rules work (issue #13 items 2-3): its schema and default rules
# go here, written by hand from `makemigrations reports --dry-run -v 3` (copy only its own operations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_stock_indicators")]
    operations = []
